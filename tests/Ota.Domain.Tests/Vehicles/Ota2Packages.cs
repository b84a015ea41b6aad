using Ota.Domain.Vehicles.Packages;
using static Ota.Domain.Tests.Vehicles.Catalog;
using Sut = Ota.Domain.Vehicles.Packages.Ota2Packages;

namespace Ota.Domain.Tests.Vehicles;

public class Ota2Packages
{
    private static Ota2PackageFact Package(PackageType type = PackageType.Full, bool encrypted = false) =>
        new(300, type, type == PackageType.Delta ? "4.2.0" : null, "4.2.1", PackageStatus.Released, encrypted,
            "Prompt", "Result", "Baseline 4.2.1: new navigation",
            [Ecu(1, "CDC", "4.2.1"), Ecu(2, "BMS", "4.2.1"), Ecu(3, "ADCU", "4.2.1")]);

    private static PackageRequest Request(string current = "4.2.0") => Catalog.Request(current, "4.2.1");

    [Fact]
    public void KeepsOnlyEcusTheStrategyUpgrades()
    {
        var strategy = Resolved(ecus: [Relation(1, "CDC", 1, isUpgrade: true), Relation(2, "BMS", 2, isUpgrade: false)]);

        var d = Sut.Describe(Request(), Package(), strategy, null);

        Assert.Equal(["CDC"], d.Ecus.Select(e => e.EcuCode));
    }

    [Fact]
    public void OrdersEcusByStrategyOrderWithUnorderedLast()
    {
        var strategy = Resolved(ecus: [Relation(1, "CDC", null), Relation(2, "BMS", 2), Relation(3, "ADCU", 1)]);

        var d = Sut.Describe(Request(), Package(), strategy, null);

        Assert.Equal(["ADCU", "BMS", "CDC"], d.Ecus.Select(e => e.EcuCode));
        Assert.Equal([1, 2, (int?)null], d.Ecus.Select(e => e.Order));
    }

    [Theory]
    [InlineData(PackageType.Full, "4.2.0", true)]
    [InlineData(PackageType.Full, "4.2.1", false)]
    [InlineData(PackageType.Delta, "4.2.0", false)]
    public void ComparesVersionsForFullPackageWhenCurrentDiffersFromTarget(PackageType type, string current, bool expected)
    {
        var d = Sut.Describe(Request(current), Package(type), Resolved(compare: VersionCompare.Compare), null);

        Assert.Equal(expected, d.CompareVersion);
    }

    [Fact]
    public void HonoursSamplingTaskNoCompare()
    {
        var strategy = Resolved(StrategyPackageType.Full, VersionCompare.NoCompare, StrategySource.Task);

        Assert.False(Sut.Describe(Request(), Package(), strategy, null).CompareVersion);
    }

    [Fact]
    public void DescribesPackageWithBaselineDescription()
    {
        var d = Sut.Describe(Request(), Package(PackageType.Delta, encrypted: true), Resolved(), new byte[16]);

        Assert.Equal(Generation.OTA2, d.Generation);
        Assert.Equal(300, d.PackageId);
        Assert.Equal(PackageType.Delta, d.PackageType);
        Assert.Equal("Baseline 4.2.1: new navigation", d.BaselineDescription);
        Assert.Equal("Prompt", d.UpgradePrompt);
        Assert.Equal("AES-128-GCM", d.Encryption?.Algorithm);
    }

    [Theory]
    [InlineData(StrategyPackageType.Full, new[] { PackageType.Full })]
    [InlineData(StrategyPackageType.Delta, new[] { PackageType.Delta, PackageType.Full })]
    [InlineData(StrategyPackageType.Auto, new[] { PackageType.Delta, PackageType.Full })]
    public void LooksUpPackageTypesInOrderOfPreference(StrategyPackageType strategyType, PackageType[] expected)
    {
        Assert.Equal(expected, Sut.PackageTypesToTry(strategyType));
    }
}
