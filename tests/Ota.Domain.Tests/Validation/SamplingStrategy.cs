using System.Text.Json;
using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class SamplingStrategy
{
    [Fact]
    public void TakesFullPackageWithoutVersionCompareOnTopOfTheDefaultStrategy()
    {
        var strategy = Rules.SamplingStrategy.From(Given.CompleteStrategies());

        Assert.NotNull(strategy);
        Assert.Equal(11, strategy.BaseStrategyId);
        Assert.Equal(StrategyPackageType.Full, strategy.PackageType);
        Assert.Equal(VersionCompare.NoCompare, strategy.VersionCompare);
    }

    [Fact]
    public void IsNotBuiltWithoutDefaultStrategy()
    {
        Assert.Null(Rules.SamplingStrategy.From(new StrategyFacts(null, [new StrategyOrderFacts(12, "quick", [])])));
    }

    [Fact]
    public void RoundTripsThroughJsonWithEnumNames()
    {
        var strategy = new Rules.SamplingStrategy(11, StrategyPackageType.Full, VersionCompare.NoCompare);

        var json = JsonSerializer.Serialize(strategy);

        Assert.Equal("""{"BaseStrategyId":11,"PackageType":"Full","VersionCompare":"NoCompare"}""", json);
        Assert.Equal(strategy, JsonSerializer.Deserialize<Rules.SamplingStrategy>(json));
    }
}
