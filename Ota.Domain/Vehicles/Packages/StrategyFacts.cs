namespace Ota.Domain.Vehicles.Packages;

/// <summary>An ECU of a strategy (ota_upgrade_strategy_ecu_relation) joined with the ECU's code.</summary>
public sealed record StrategyEcuRelationFact(long EcuId, string EcuCode, int? UpgradeOrder, bool IsUpgrade);

/// <summary>A strategy row with its ECU relations.</summary>
public sealed record StrategyFact(
    long Id,
    string Name,
    StrategyPackageType PackageType,
    VersionCompare VersionCompare,
    IReadOnlyList<StrategyEcuRelationFact> Ecus);

/// <summary>One of a vehicle's own strategies (ota_upgrade_strategy_vin_relation), with when the relation was made.</summary>
public sealed record VinStrategyRelationFact(long RelationId, DateTime RelatedAt, StrategyFact Strategy);

/// <summary>
/// A task's own strategy, kept in a Sampling task's extension info rather than as a strategy row.
/// It overrides how the package is chosen and compared; its ECU list is the one of the strategy
/// the vehicle would otherwise use, because the notes store only "full package, no version compare" on the task.
/// </summary>
public sealed record TaskStrategy(
    string Name,
    StrategyPackageType PackageType = StrategyPackageType.Full,
    VersionCompare VersionCompare = VersionCompare.NoCompare);
