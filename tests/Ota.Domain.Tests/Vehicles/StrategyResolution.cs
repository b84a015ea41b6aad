using Ota.Domain.Vehicles.Packages;
using static Ota.Domain.Tests.Vehicles.Catalog;
using Sut = Ota.Domain.Vehicles.Packages.StrategyResolution;

namespace Ota.Domain.Tests.Vehicles;

public class StrategyResolution
{
    private static readonly DateTime Monday = new(2025, 3, 3, 8, 0, 0, DateTimeKind.Utc);

    private static VinStrategyRelationFact VinRelation(long relationId, DateTime at, long strategyId) =>
        new(relationId, at, Strategy(strategyId, StrategyPackageType.Delta, VersionCompare.Compare, Relation(3, "ADCU", 1)));

    [Fact]
    public void PrefersTaskStrategyOverVinStrategy()
    {
        var task = new TaskStrategy("Sampling task 9");

        var resolved = Sut.Resolve(task, [VinRelation(1, Monday, 20)], Strategy(10))!;

        Assert.Equal(StrategySource.Task, resolved.Source);
        Assert.Null(resolved.Id);
        Assert.Equal("Sampling task 9", resolved.Name);
        Assert.Equal(StrategyPackageType.Full, resolved.PackageType);
        Assert.Equal(VersionCompare.NoCompare, resolved.VersionCompare);
        // The task keeps no ECU list of its own: it uses the one of the strategy the vehicle would otherwise get.
        Assert.Equal(20, resolved.EcuSourceStrategyId);
        Assert.Equal("ADCU", Assert.Single(resolved.Ecus).EcuCode);
    }

    [Fact]
    public void TaskStrategyTakesEcusFromSeriesModelDefaultWhenVehicleHasNoStrategy()
    {
        var resolved = Sut.Resolve(new TaskStrategy("Sampling"), [], Strategy(10))!;

        Assert.Equal(StrategySource.Task, resolved.Source);
        Assert.Equal(10, resolved.EcuSourceStrategyId);
        Assert.Equal(["CDC", "BMS"], resolved.Ecus.Select(e => e.EcuCode));
    }

    [Fact]
    public void PrefersVinStrategyOverSeriesModelDefault()
    {
        var resolved = Sut.Resolve(null, [VinRelation(1, Monday, 20)], Strategy(10))!;

        Assert.Equal(StrategySource.Vin, resolved.Source);
        Assert.Equal(20, resolved.Id);
        Assert.Equal(StrategyPackageType.Delta, resolved.PackageType);
        Assert.Equal(VersionCompare.Compare, resolved.VersionCompare);
    }

    [Fact]
    public void PicksNewestVinRelation()
    {
        var resolved = Sut.Resolve(null,
            [VinRelation(5, Monday.AddDays(2), 22), VinRelation(9, Monday, 20), VinRelation(7, Monday.AddDays(1), 21)],
            Strategy(10))!;

        Assert.Equal(22, resolved.Id);
    }

    [Fact]
    public void BreaksVinRelationTimeTieByNewestRelationId()
    {
        var resolved = Sut.Resolve(null, [VinRelation(3, Monday, 20), VinRelation(8, Monday, 21)], null)!;

        Assert.Equal(21, resolved.Id);
    }

    [Fact]
    public void FallsBackToSeriesModelDefault()
    {
        var resolved = Sut.Resolve(null, [], Strategy(10, StrategyPackageType.Full, VersionCompare.NoCompare))!;

        Assert.Equal(StrategySource.SeriesModelDefault, resolved.Source);
        Assert.Equal(10, resolved.Id);
        Assert.Equal("strategy 10", resolved.Name);
        Assert.Equal(StrategyPackageType.Full, resolved.PackageType);
    }

    [Fact]
    public void ResolvesNothingWithoutAnyStrategyRowEvenForATaskStrategy()
    {
        Assert.Null(Sut.Resolve(null, [], null));
        Assert.Null(Sut.Resolve(new TaskStrategy("Sampling"), [], null));
    }
}
