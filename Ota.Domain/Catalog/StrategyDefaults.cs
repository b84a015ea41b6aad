namespace Ota.Domain.Catalog;

/// <summary>The default strategy a series-model has now.</summary>
public sealed record SeriesModelDefault(long SeriesModelId, string SeriesModelCode, long StrategyId, string StrategyName);

/// <summary>A series-model a strategy is to be linked to, and whether as its default.</summary>
public sealed record StrategyLink(long SeriesModelId, string SeriesModelCode, bool IsDefault);

/// <summary>
/// Every series-model has exactly one default upgrade strategy (SPEC §2): without one, validation refuses its tasks
/// (STRATEGY_DEFAULT_MISSING); with two, "the" default a vehicle is served by would be a matter of chance.
/// </summary>
public static class StrategyDefaults
{
    /// <summary>
    /// What linking strategy <paramref name="strategyId"/> (null for a new one) to <paramref name="links"/> would break,
    /// given the defaults of the series-models involved now: a second default for a series-model, or a series-model this
    /// strategy is the default of left without one. Empty when the rule holds.
    /// </summary>
    public static IReadOnlyList<string> Check(long? strategyId, IReadOnlyCollection<StrategyLink> links, IReadOnlyCollection<SeriesModelDefault> defaults)
    {
        var problems = new List<string>();
        foreach (var link in links.Where(l => l.IsDefault))
        {
            if (defaults.FirstOrDefault(d => d.SeriesModelId == link.SeriesModelId && d.StrategyId != strategyId) is { } other)
                problems.Add($"{link.SeriesModelCode} already has a default strategy, '{other.StrategyName}'. " +
                             "A series-model has exactly one default: use 'Make default' to move it here.");
        }
        foreach (var current in defaults.Where(d => strategyId is not null && d.StrategyId == strategyId))
        {
            if (!links.Any(l => l.SeriesModelId == current.SeriesModelId && l.IsDefault))
                problems.Add($"{current.SeriesModelCode} would be left without a default strategy: make another strategy its default first.");
        }
        return problems;
    }

    /// <summary>Why the strategy cannot become a default; null when it can. A strategy with ECUs lacking an upgrade order cannot serve a vehicle.</summary>
    public static string? CannotBecomeDefault(string strategyName, bool hasEcusWithoutOrder) => hasEcusWithoutOrder
        ? $"'{strategyName}' has ECUs without an upgrade order: complete its order before making it a default."
        : null;

    /// <summary>
    /// Moves a series-model's default to <paramref name="strategyId"/>, given the series-model's strategy relations: that
    /// strategy becomes its default and every other stops being it. True when the strategy has no relation to the
    /// series-model yet, so one must be added as its default.
    /// </summary>
    public static bool MoveTo(long strategyId, IEnumerable<StrategySeriesModelRelation> relations)
    {
        var linked = false;
        foreach (var relation in relations)
        {
            relation.IsDefault = relation.StrategyId == strategyId;
            linked |= relation.IsDefault;
        }
        return !linked;
    }

    /// <summary>Why the strategy cannot be deleted; null when it can. The default of a series-model is deleted only after another takes its place.</summary>
    public static string? CannotDelete(string strategyName, IReadOnlyCollection<string> defaultOfSeriesModels) => defaultOfSeriesModels.Count > 0
        ? $"'{strategyName}' is the default of {string.Join(", ", defaultOfSeriesModels)}: make another strategy the default first."
        : null;
}
