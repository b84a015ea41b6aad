using Ota.Domain;
using Ota.Simulator;
using Ota.Web.Tests.Apis.Ddi;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// The fleet simulator's DDI mode (<c>--ddi</c>) against the real app: its devices poll, take their deployment, download
/// the stored files with their token, report, and acknowledge a cancel, and the server ends where a real client leaves it.
/// </summary>
public sealed class DdiFleet(DdiFixture fixture) : IClassFixture<DdiFixture>
{
    private static SimulatorOptions Options(double failureRate = 0, params (ErrorType, int)[] failureTypes) => new()
    {
        FailureRate = failureRate,
        FailureTypes = failureTypes.Length > 0 ? failureTypes : new SimulatorOptions().FailureTypes,
        Downloads = DownloadMode.Real,
        PollInterval = TimeSpan.FromMilliseconds(200),
        IdleAfter = TimeSpan.FromSeconds(3),
        Duration = TimeSpan.FromSeconds(60),
        RecordOutcomes = true,
        Concurrency = 4,
    };

    private async Task<SimulationSummary> SimulateAsync(SimulatorOptions options, IEnumerable<(string Vin, string Token)> devices)
    {
        var fleet = devices.ToDictionary(d => d.Vin, d => new SimulatedVehicle(d.Vin, "S1-M1", "3.1.4", "no native secret", d.Token));
        using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        return await new DdiFleetSimulation(options, fleet, http).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DevicesTakeTheirTaskToSucceededAndAcknowledgeACancel()
    {
        var devices = await fixture.DevicesAsync('S', 3);
        var vins = devices.Select(d => d.Vin).ToArray();
        var taskId = await fixture.PublishAndPushAsync(vins);
        await fixture.CancelAsync(taskId, vins[2]);

        var summary = await SimulateAsync(Options(), devices);

        Assert.Equal([], summary.ProtocolErrorSamples);
        Assert.Equal(0, summary.ProtocolErrors);
        Assert.Equal(new Dictionary<string, string> { [vins[0]] = "Succeeded", [vins[1]] = "Succeeded", [vins[2]] = "Cancelled" },
            summary.Outcomes.ToDictionary());
        // Every chunk's stored file fetched through the DDI download with the token, size and SHA-256 checked.
        Assert.True(summary.FilesDownloaded >= 2, $"{summary.FilesDownloaded} files downloaded");
        Assert.Equal(0, summary.FilesPretended);
        Assert.Equal(0, summary.ActionsWithdrawn);
        Assert.True(summary.PollsMeasured >= 3, $"{summary.PollsMeasured} polls measured");

        await fixture.WaitForStateAsync(taskId, vins[0], "Succeeded");
        await fixture.WaitForStateAsync(taskId, vins[1], "Succeeded");
        Assert.Equal("Cancelled", await fixture.StateAsync(taskId, vins[2]));
        Assert.Equal("Acknowledged", (string?)await fixture.Database.ScalarAsync(
            $"SELECT cancel_notice FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vins[2]}'"));
        Assert.Equal(2, await fixture.Database.CountAsync("ota_vehicle_upgrade_status",
            $"vin IN ('{vins[0]}', '{vins[1]}') AND state = 'Succeeded' AND version = '3.1.5' AND task_id = {taskId}"));
        // What the devices said about themselves when the poll asked (configData).
        Assert.Equal(3, await fixture.Database.CountAsync("ota_ddi_target", $"vin IN ({string.Join(',', vins.Select(v => $"'{v}'"))}) AND config_data LIKE '%ota-simulator%'"));
    }

    [Fact]
    public async Task AFailureAfterTheDownloadIsReportedAsAnUpgradeFailureAndOneBeforeItAsADownloadFailure()
    {
        var upgrade = await fixture.DevicesAsync('U', 1);
        var download = await fixture.DevicesAsync('D', 1);
        var upgradeTask = await fixture.PublishAndPushAsync([upgrade[0].Vin]);
        var downloadTask = await fixture.PublishAndPushAsync([download[0].Vin]);

        var upgradeSummary = await SimulateAsync(Options(1, (ErrorType.RollbackFailed, 1)), upgrade);
        var downloadSummary = await SimulateAsync(Options(1, (ErrorType.DownloadFailed, 1)), download);

        Assert.Equal(0, upgradeSummary.ProtocolErrors + downloadSummary.ProtocolErrors);
        Assert.Equal("UpgradeFailed", upgradeSummary.Outcomes[upgrade[0].Vin]);
        Assert.Equal("DownloadFailed", downloadSummary.Outcomes[download[0].Vin]);
        Assert.True(upgradeSummary.FilesDownloaded >= 1);
        Assert.Equal(0, downloadSummary.FilesDownloaded);
        await fixture.WaitForStateAsync(upgradeTask, upgrade[0].Vin, "Failed");
        await fixture.WaitForStateAsync(downloadTask, download[0].Vin, "Failed");
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{upgrade[0].Vin}' AND state = 'Failed' AND error_type = 'UpgradeFailed'"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{download[0].Vin}' AND state = 'Failed' AND error_type = 'DownloadFailed'"));
    }
}
