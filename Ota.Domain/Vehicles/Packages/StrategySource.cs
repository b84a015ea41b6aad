namespace Ota.Domain.Vehicles.Packages;

/// <summary>Where the strategy that served a package description came from (SPEC §7: task first, then VIN, then series-model default).</summary>
public enum StrategySource { Task, Vin, SeriesModelDefault }
