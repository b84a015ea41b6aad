namespace Ota.Domain.Vehicles.Packages;

/// <summary>Chooses the upgrade strategy for a vehicle (SPEC §7): the task's own, then the vehicle's newest own, then the series-model default.</summary>
public static class StrategyResolution
{
    /// <returns>
    /// The chosen strategy, or null when neither the vehicle nor its series-model has a strategy row
    /// (a task strategy alone carries no ECU list; validation reports STRATEGY_DEFAULT_MISSING for that case).
    /// </returns>
    public static ResolvedStrategy? Resolve(
        TaskStrategy? taskStrategy,
        IReadOnlyCollection<VinStrategyRelationFact> vinStrategies,
        StrategyFact? seriesModelDefault)
    {
        ArgumentNullException.ThrowIfNull(vinStrategies);

        var vinStrategy = vinStrategies
            .OrderByDescending(r => r.RelatedAt)
            .ThenByDescending(r => r.RelationId)
            .Select(r => r.Strategy)
            .FirstOrDefault();

        var (row, rowSource) = vinStrategy is not null
            ? (vinStrategy, StrategySource.Vin)
            : (seriesModelDefault, StrategySource.SeriesModelDefault);
        if (row is null) return null;

        if (taskStrategy is not null)
            return new ResolvedStrategy(null, taskStrategy.Name, StrategySource.Task,
                taskStrategy.PackageType, taskStrategy.VersionCompare, row.Ecus, row.Id);

        return new ResolvedStrategy(row.Id, row.Name, rowSource, row.PackageType, row.VersionCompare, row.Ecus, row.Id);
    }
}
