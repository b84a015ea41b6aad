namespace Ota.Domain.Catalog;

/// <summary>How a vehicle upgrades its ECUs (ota_upgrade_strategy).</summary>
public class UpgradeStrategy
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public StrategyPackageType PackageType { get; set; }
    public VersionCompare VersionCompare { get; set; }
    public UpgradeMode UpgradeMode { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>An ECU of a strategy with its upgrade order (ota_upgrade_strategy_ecu_relation). A null order is a configuration error.</summary>
public class StrategyEcuRelation
{
    public long Id { get; set; }
    public long StrategyId { get; set; }
    public long EcuId { get; set; }
    public int? UpgradeOrder { get; set; }
    public bool IsUpgrade { get; set; }
}

/// <summary>A strategy of a series-model (ota_upgrade_strategy_veh_relation); exactly one per series-model is the default.</summary>
public class StrategySeriesModelRelation
{
    public long Id { get; set; }
    public long StrategyId { get; set; }
    public long SeriesModelId { get; set; }
    public bool IsDefault { get; set; }
}

/// <summary>A vehicle's own strategy (ota_upgrade_strategy_vin_relation); the newest relation wins.</summary>
public class StrategyVinRelation
{
    public long Id { get; set; }
    public long StrategyId { get; set; }
    public string Vin { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}
