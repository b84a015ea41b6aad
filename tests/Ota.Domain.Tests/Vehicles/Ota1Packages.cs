using Ota.Domain.Vehicles.Packages;
using static Ota.Domain.Tests.Vehicles.Catalog;
using Sut = Ota.Domain.Vehicles.Packages.Ota1Packages;

namespace Ota.Domain.Tests.Vehicles;

public class Ota1Packages
{
    private static readonly byte[] Key32 = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void DescribesTheRequestTaskAndStrategy()
    {
        var d = Sut.Describe(Ota1(), null);

        Assert.Null(d.DescriptionId);
        Assert.Equal(TestVin, d.Vin);
        Assert.Equal(42, d.TaskId);
        Assert.Equal(Generation.OTA1, d.Generation);
        Assert.Equal("3.1.4", d.FromVersion);
        Assert.Equal("3.1.5", d.TargetVersion);
        Assert.Equal(new StrategyReference(7, "strategy 7", StrategySource.SeriesModelDefault), d.Strategy);
        Assert.Null(d.BaselineDescription);
        Assert.Equal("snap-1", (d with { DescriptionId = "snap-1" }).DescriptionId);
    }

    [Fact]
    public void ServesFullPackageWhenStrategyAsksForFullEvenIfDeltaExists()
    {
        var d = Sut.Describe(Ota1(Resolved(StrategyPackageType.Full), delta: Delta()), null);

        Assert.Equal(100, d.PackageId);
        Assert.Equal(PackageType.Full, d.PackageType);
        Assert.All(d.Ecus, e => Assert.Null(e.FromVersion));
    }

    [Theory]
    [InlineData(StrategyPackageType.Delta)]
    [InlineData(StrategyPackageType.Auto)]
    public void ServesDeltaWhenStrategyIsNotFullAndDeltaExists(StrategyPackageType packageType)
    {
        var d = Sut.Describe(Ota1(Resolved(packageType), delta: Delta()), null);

        Assert.Equal(200, d.PackageId);
        Assert.Equal(PackageType.Delta, d.PackageType);
        Assert.Equal("3.1.4", d.Ecus.Single(e => e.EcuCode == "CDC").FromVersion);
        Assert.Null(d.Ecus.Single(e => e.EcuCode == "BMS").FromVersion);
    }

    [Fact]
    public void ServesFullPackageWhenNoDeltaExists()
    {
        var d = Sut.Describe(Ota1(Resolved(StrategyPackageType.Delta)), null);

        Assert.Equal(PackageType.Full, d.PackageType);
        Assert.Equal(100, d.PackageId);
    }

    [Theory]
    [InlineData("3.1.3", "3.1.5")]
    [InlineData("3.1.4", "3.1.6")]
    public void IgnoresDeltaForOtherVersions(string from, string version)
    {
        var d = Sut.Describe(Ota1(delta: Delta(from: from, version: version)), null);

        Assert.Equal(PackageType.Full, d.PackageType);
    }

    [Theory]
    [InlineData(PackageStatus.Testing, TaskType.Normal, PackageType.Full)]
    [InlineData(PackageStatus.Testing, TaskType.Test, PackageType.Delta)]
    [InlineData(PackageStatus.Draft, TaskType.Test, PackageType.Full)]
    [InlineData(PackageStatus.Revoked, TaskType.Test, PackageType.Full)]
    [InlineData(PackageStatus.Released, TaskType.Forced, PackageType.Delta)]
    public void OffersDeltaOnlyWhenItsStatusSuitsTheTask(PackageStatus status, TaskType taskType, PackageType served)
    {
        var d = Sut.Describe(Ota1(delta: Delta(status), request: Request(taskType: taskType)), null);

        Assert.Equal(served, d.PackageType);
    }

    [Fact]
    public void TakesPromptAndResultFromFullPackageWhenServingDelta()
    {
        var d = Sut.Describe(Ota1(delta: Delta()), null);

        Assert.Equal(PackageType.Delta, d.PackageType);
        Assert.Equal("Update takes 20 minutes.", d.UpgradePrompt);
        Assert.Equal("Update installed.", d.UpgradeResult);
    }

    [Theory]
    [InlineData(VersionCompare.Compare, false, "3.1.5", true)]
    [InlineData(VersionCompare.Compare, true, "3.1.4", true)]
    [InlineData(VersionCompare.NoCompare, false, "3.1.4", false)]
    [InlineData(VersionCompare.NoCompare, true, "3.1.4", false)]
    [InlineData(VersionCompare.Auto, false, "3.1.4", true)]
    [InlineData(VersionCompare.Auto, false, "3.1.5", false)]
    [InlineData(VersionCompare.Auto, false, "3.1.5.0", false)]
    [InlineData(VersionCompare.Auto, true, "3.1.4", false)]
    public void DecidesCompareVersion(VersionCompare compare, bool withDelta, string current, bool expected)
    {
        var facts = Ota1(Resolved(StrategyPackageType.Auto, compare), request: Request(current: current),
            delta: withDelta ? Delta(from: current) : null);

        var d = Sut.Describe(facts, null);

        Assert.Equal(withDelta ? PackageType.Delta : PackageType.Full, d.PackageType);
        Assert.Equal(expected, d.CompareVersion);
    }

    [Fact]
    public void ExcludesEcusWithoutUpgradeOrder()
    {
        var strategy = Resolved(ecus: [Relation(1, "CDC", 1), Relation(2, "BMS", null)]);

        var d = Sut.Describe(Ota1(strategy), null);

        Assert.Equal(["CDC"], d.Ecus.Select(e => e.EcuCode));
    }

    [Fact]
    public void ExcludesEcusTheStrategyDoesNotName()
    {
        var full = Full(ecus: [Ecu(1, "CDC"), Ecu(2, "BMS"), Ecu(4, "TBOX")]);

        var d = Sut.Describe(Ota1(full: full), null);

        Assert.Equal(["CDC", "BMS"], d.Ecus.Select(e => e.EcuCode));
    }

    [Fact]
    public void ExcludesEcusTheConfigWordIgnores()
    {
        var full = Full(ecus: [Ecu(1, "CDC"), Ecu(2, "BMS"), Ecu(3, "ADCU")]);
        var strategy = Resolved(ecus: [Relation(1, "CDC", 1), Relation(2, "BMS", 2), Relation(3, "ADCU", 3)]);
        var variant = new Ota.Domain.Vehicles.Packages.VariantDefinition("S1-M2", true, [new ConfigWordIgnoreRule("NOADAS", ["ADCU"])]);

        var d = Sut.Describe(Ota1(strategy, full, ignored: variant.IgnoredEcus("EU-NOADAS-LHD")), null);

        Assert.Equal(["CDC", "BMS"], d.Ecus.Select(e => e.EcuCode));
    }

    [Fact]
    public void OrdersEcusByUpgradeOrderThenByCode()
    {
        var full = Full(ecus: [Ecu(4, "TBOX"), Ecu(1, "CDC"), Ecu(2, "BMS"), Ecu(3, "ADCU")]);
        var strategy = Resolved(ecus:
            [Relation(1, "CDC", 3), Relation(2, "BMS", 1), Relation(3, "ADCU", 2), Relation(4, "TBOX", 1)]);

        var d = Sut.Describe(Ota1(strategy, full), null);

        Assert.Equal(["BMS", "TBOX", "ADCU", "CDC"], d.Ecus.Select(e => e.EcuCode));
        Assert.Equal([1, 1, 2, 3], d.Ecus.Select(e => e.Order));
    }

    [Fact]
    public void CopiesEcuPackageAndBaseEcuInfo()
    {
        var full = Full(ecus: [Ecu(1, "CDC", kind: EcuPackageKind.Component)]);

        var ecu = Assert.Single(Sut.Describe(Ota1(full: full), null).Ecus);

        Assert.Equal(new PackageDescriptionEcu("CDC", "CDC controller", 1, EcuPackageKind.Component, "cdc-full-3.1.5.bin",
            1_001, new string('b', 64), "https://files.example/CDC-3.1.5.bin", null, "3.1.5"), ecu);
    }

    [Fact]
    public void ReturnsKeyOfEncryptedPackage()
    {
        var d = Sut.Describe(Ota1(full: Full(encrypted: true)), Key32);

        Assert.Equal(new Ota.Domain.Vehicles.Packages.PackageEncryption("AES-256-GCM", Convert.ToBase64String(Key32)), d.Encryption);
    }

    [Fact]
    public void ReturnsNoEncryptionForPlainPackage()
    {
        Assert.Null(Sut.Describe(Ota1(), null).Encryption);
    }

    [Fact]
    public void RefusesEncryptedPackageWithoutItsKey()
    {
        Assert.Throws<ArgumentException>(() => Sut.Describe(Ota1(full: Full(encrypted: true)), null));
    }

    [Fact]
    public void SelectsDeltaAsTheKeyHolderWhenDeltaIsServed()
    {
        var facts = Ota1(full: Full(encrypted: false), delta: Delta(encrypted: true));

        Assert.Equal(new MainPackage(200, PackageType.Delta, true), Sut.SelectMain(facts));
        Assert.NotNull(Sut.Describe(facts, Key32).Encryption);
    }
}
