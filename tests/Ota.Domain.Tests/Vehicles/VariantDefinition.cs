using Ota.Domain.Vehicles.Packages;
using Sut = Ota.Domain.Vehicles.Packages.VariantDefinition;

namespace Ota.Domain.Tests.Vehicles;

public class VariantDefinition
{
    private static Sut Variant(bool supportsConfigWord = true) => new("S1-M2", supportsConfigWord,
    [
        new ConfigWordIgnoreRule("NOADAS", ["ADCU"]),
        new ConfigWordIgnoreRule("NOTBOX", ["TBOX", "GW"]),
        new ConfigWordIgnoreRule(" ", ["CDC"]),
    ]);

    [Fact]
    public void IgnoresEcusOfRulesWhoseTokenTheConfigWordContains()
    {
        Assert.Equal(["ADCU"], Variant().IgnoredEcus("EU-NOADAS-LHD"));
    }

    [Fact]
    public void CombinesEveryMatchingRule()
    {
        var ignored = Variant().IgnoredEcus("NOADAS+NOTBOX");

        Assert.Equal(["ADCU", "GW", "TBOX"], ignored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MatchesTokenAndEcuCodeIgnoringCase()
    {
        var ignored = Variant().IgnoredEcus("eu-noadas");

        Assert.Contains("adcu", ignored);
    }

    [Fact]
    public void IgnoresNothingWhenNoTokenMatches()
    {
        Assert.Empty(Variant().IgnoredEcus("EU-ADAS-LHD"));
    }

    [Fact]
    public void IgnoresNothingWhenVariantHasNoConfigWords()
    {
        Assert.Empty(Variant(supportsConfigWord: false).IgnoredEcus("NOADAS"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void IgnoresNothingWithoutConfigWord(string? configWord)
    {
        Assert.Empty(Variant().IgnoredEcus(configWord));
    }
}
