using System.Text.Json.Serialization;

namespace Ota.Domain.Tasks.Validation;

/// <summary>
/// The strategy a Sampling task carries in its extension info instead of a strategy row: the series-model's default
/// strategy (its ECUs and upgrade orders) with the package forced to full and versions not compared, so sampling never
/// touches strategies other tasks use. Enums serialise as names, like every stored enum.
/// </summary>
public sealed record SamplingStrategy(
    long BaseStrategyId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<StrategyPackageType>))] StrategyPackageType PackageType,
    [property: JsonConverter(typeof(JsonStringEnumConverter<VersionCompare>))] VersionCompare VersionCompare)
{
    /// <summary>Built from the default strategy; null when the series-model has none (the strategy phase reports STRATEGY_DEFAULT_MISSING).</summary>
    public static SamplingStrategy? From(StrategyFacts strategies) =>
        strategies.DefaultStrategyId is { } id ? new(id, StrategyPackageType.Full, VersionCompare.NoCompare) : null;
}
