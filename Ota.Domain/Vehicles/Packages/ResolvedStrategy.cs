namespace Ota.Domain.Vehicles.Packages;

/// <summary>The strategy chosen for one vehicle's package description.</summary>
/// <param name="Id">The strategy row's id; null for a task's own strategy, which has no row.</param>
/// <param name="EcuSourceStrategyId">The strategy row whose ECU relations are used (differs from <paramref name="Id"/> for a task strategy).</param>
public sealed record ResolvedStrategy(
    long? Id,
    string Name,
    StrategySource Source,
    StrategyPackageType PackageType,
    VersionCompare VersionCompare,
    IReadOnlyList<StrategyEcuRelationFact> Ecus,
    long EcuSourceStrategyId);
