using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

/// <summary>A world of its own: the counts of the fleet-versions page are of these vehicles alone.</summary>
public sealed class FleetWorld : ConsoleWorld;

public sealed class FleetVersionsAtWork(FleetWorld world) : IClassFixture<FleetWorld>
{
    private static readonly string[] Unsold = [TestFleet.TestVin(1, 'U'), TestFleet.TestVin(2, 'U')];

    private async Task<long> WithUnsoldAsync()
    {
        var sm = await world.Fleet.SeriesModelIdAsync("S1-M1");
        var rows = new List<VehicleRow>();
        foreach (var vin in Unsold) rows.Add(await world.Fleet.VehicleAsync(vin, r => r with { FirmwareVersion = "3.0.9", Sold = false }));
        await world.Fleet.AddVehiclesAsync(rows);
        return sm;
    }

    [Fact]
    public async Task TheDistributionAndASelectionCountTheRegistry()
    {
        var sm = await WithUnsoldAsync();
        var fleet = world.App.Services.GetRequiredService<FleetVersionQueries>();

        var shares = await fleet.DistributionAsync();

        Assert.Contains(new FirmwareShare(sm, "S1-M1", "3.1.4", ConsoleWorld.GoodVins.Length), shares);
        Assert.Contains(new FirmwareShare(sm, "S1-M1", "3.0.9", 2), shares);
        Assert.Equal(ConsoleWorld.GoodVins.Length, await fleet.CountAsync(new VehicleSelection(sm, "3.1.4")));
        Assert.Equal(2, await fleet.CountAsync(new VehicleSelection(sm, Sold: false)));
        Assert.Equal(0, await fleet.CountAsync(new VehicleSelection(sm, "3.1.4", Sold: false)));
        Assert.Equal(0, await fleet.CountAsync(new VehicleSelection(sm, Usage: VehicleUsage.Engineering)));
    }

    [Fact]
    public async Task ASelectionIsValidatedLikeAnUploadAndAnEmptyOrMismatchedOneStartsNothing()
    {
        var sm = await WithUnsoldAsync();
        var commands = world.As<TaskCommands>(ConsoleRoles.Operator, "olga@test.local");
        TaskBasics Basics() => new() { Name = $"selection-{Guid.NewGuid():N}"[..20], SeriesModelId = sm, TargetVersion = "3.1.5" };
        var runs = await world.Database.CountAsync("ota_validation_run");

        var (none, empty) = await commands.StartFromSelectionAsync(Basics(), new VehicleSelection(sm, "9.9.9"));
        Assert.Null(none);
        Assert.Equal("No vehicle matches the selection any more: change it on the fleet-versions page.", empty.For("File"));
        var other = Basics();
        other.SeriesModelId = await world.Fleet.SeriesModelIdAsync("S2-M1");
        var (_, mismatch) = await commands.StartFromSelectionAsync(other, new VehicleSelection(sm, "3.1.4"));
        Assert.Equal("The selection is of another series-model than the task.", mismatch.For("File"));
        Assert.Equal(runs, await world.Database.CountAsync("ota_validation_run"));

        var (runId, errors) = await commands.StartFromSelectionAsync(Basics(), new VehicleSelection(sm, "3.1.4", Sold: true));
        Assert.True(errors.IsValid, string.Join("; ", errors.Values));
        var progress = await world.App.Services.GetRequiredService<TaskValidationService>().UntilFinishedAsync(runId!.Value);

        Assert.Equal((ConsoleWorld.GoodVins.Length, ConsoleWorld.GoodVins.Length), (progress.DistinctVins, progress.Accepted));
        Assert.Equal(ConsoleWorld.GoodVins.Length, await world.Database.CountAsync("ota_task_vin", $"task_id = {progress.TaskId}"));
        Assert.Equal(1, await world.Database.CountAsync("ota_audit_log", $"action = 'Upload started' AND entity_id = '{runId}' AND `after` LIKE '%3.1.4%'"));
    }

    [Theory]
    [InlineData("7", "3.1.4", "Delivered", "Production", "true", null, true)]
    [InlineData("7", null, null, null, null, "false", true)]
    [InlineData(null, "3.1.4", null, null, null, null, false)]
    [InlineData("7", null, "Flying", null, null, null, false)]
    [InlineData("7", null, null, null, "yes", null, false)]
    public void ASelectionTravelsInTheAddressAndABrokenOneIsNone(string? sm, string? fw, string? lifecycle, string? usage, string? sold, string? activated,
        bool valid)
    {
        var selection = VehicleSelection.FromQuery(sm, fw, lifecycle, usage, sold, activated);
        Assert.Equal(valid, selection is not null);
        if (selection is null) return;
        var query = selection.ToQuery().Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal(selection, VehicleSelection.FromQuery(query.GetValueOrDefault("sm"), query.GetValueOrDefault("fw"), query.GetValueOrDefault("lifecycle"),
            query.GetValueOrDefault("usage"), query.GetValueOrDefault("sold"), query.GetValueOrDefault("activated")));
    }
}
