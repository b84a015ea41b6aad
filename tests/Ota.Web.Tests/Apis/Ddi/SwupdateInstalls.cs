using Ota.Testing;

namespace Ota.Web.Tests.Apis.Ddi;

/// <summary>
/// Debian's SWUpdate, a real hawkBit DDI client, takes a campaign from the product (SPEC §14): it polls, downloads the
/// signed image the product stores, installs it, and reports; its task-VIN ends Succeeded with its events on the
/// vehicle's timeline. A cancelled VIN's SWUpdate sees the cancel action and acknowledges it.
/// </summary>
public sealed class SwupdateInstalls(SwupdateFixture fixture) : IClassFixture<SwupdateFixture>
{
    private async Task<bool> ProgressSaidAsync(string vin, string step) =>
        await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}' AND step LIKE '{step}%'") > 0;

    [Fact]
    public async Task SwupdateInstallsACampaignAndItsVinEndsSucceeded()
    {
        var (vin, token) = await fixture.HeadUnitAsync(1);
        File.Delete(fixture.InstalledFile);
        var taskId = await fixture.PublishAndPushAsync([vin], seriesModel: SwupdateFixture.SeriesModel, target: "2.1.0");

        // First run: it polls, fetches the deployment, downloads and installs, then waits for a reboot ("All Chunks Installed.").
        await fixture.RunAsync(vin, token, () => ProgressSaidAsync(vin, "proceeding: All Chunks Installed"), "it installed the chunks");
        Assert.Equal(SwupdateFixture.Payload, await File.ReadAllTextAsync(fixture.InstalledFile));
        // The follow-up that moves the task VIN runs after the report is stored; nothing reports after the stop.
        await fixture.WaitForStateAsync(taskId, vin, "Upgrading");

        // After the "reboot": started in its testing state, it reports the update installed (closed, success).
        await fixture.RunAsync(vin, token, async () => await fixture.StateAsync(taskId, vin) == "Succeeded", "its task-VIN Succeeded", state: 2);

        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}' AND task_id = {taskId} AND state = 'Succeeded' AND version = '2.1.0'"));
        Assert.True(await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}' AND task_id = {taskId}") >= 3);
        // Its attributes arrived (SWUpdate sends them once after every start).
        Assert.Equal(new Dictionary<string, string> { ["board"] = "ota-ecu", ["hwRevision"] = "1.0" },
            await fixture.Get<Ota.Infrastructure.Ddi.DdiConfigData>().GetAsync(vin, CancellationToken.None));
    }

    [Fact]
    public async Task ACancelledVinsSwupdateSeesTheCancelAndAcknowledgesIt()
    {
        var (vin, token) = await fixture.HeadUnitAsync(2);
        File.Delete(fixture.InstalledFile);
        var taskId = await fixture.PublishAndPushAsync([vin], seriesModel: SwupdateFixture.SeriesModel, target: "2.1.0");
        await fixture.CancelAsync(taskId, vin);
        await Eventually.WaitUntilAsync(async () => (string?)await fixture.Database.ScalarAsync(
            $"SELECT cancel_notice FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vin}'") == "Sent", TimeSpan.FromSeconds(30), "the cancel owed");

        var log = await fixture.RunAsync(vin, token, async () => (string?)await fixture.Database.ScalarAsync(
            $"SELECT cancel_notice FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vin}'") == "Acknowledged", "it acknowledged the cancel");

        Assert.Equal("Cancelled", await fixture.StateAsync(taskId, vin));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}' AND task_id = {taskId} AND state = 'Cancelled'"));
        Assert.False(File.Exists(fixture.InstalledFile), "nothing was installed:\n" + log);
    }
}
