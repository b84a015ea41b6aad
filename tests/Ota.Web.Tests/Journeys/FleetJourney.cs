using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Push;
using Ota.Simulator;
using Ota.Testing;
using StackExchange.Redis;

namespace Ota.Web.Tests.Journeys;

/// <summary>
/// The whole journey as it happens in the field: a task published through the open API, pushed over MQTT, answered by
/// a simulated fleet with failures, and followed up (compensation flags, work orders, the status stream), then the
/// compensation job re-sending the failed downloads.
/// </summary>
public sealed class FleetJourney(AppFixture fixture) : IClassFixture<AppFixture>
{
    private const int Customers = 40;
    private const int Engineering = 20;

    [Fact]
    public async Task FromPublishToUpgradedCarsEveryStageDoesItsPart()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        // The demo world's package files: the vehicles download them for real through their links (SPEC §13).
        await services.GetRequiredService<DemoFiles>().StoreMissingAsync(CancellationToken.None);
        var customers = await Task.WhenAll(Enumerable.Range(1, Customers).Select(n => fleet.VehicleAsync(TestFleet.TestVin(n, 'J'))));
        var engineering = await Task.WhenAll(Enumerable.Range(Customers + 1, Engineering).Select(n => fleet.VehicleAsync(TestFleet.TestVin(n, 'J'),
            v => v with { Usage = VehicleUsage.Engineering, Sold = false, Activated = false, LifecycleStatus = LifecycleStatus.InStock })));
        var rows = customers.Concat(engineering).ToList();
        await fleet.AddVehiclesAsync(rows);

        // 1. Publish through the open API.
        var (_, key) = await services.GetRequiredService<ApiKeyStore>().CreateAsync($"journey-{Guid.NewGuid():N}");
        using var api = fixture.App.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        var publish = await api.PostAsJsonAsync("/ota/open/api/task/publish", new
        {
            name = "journey", type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", vins = rows.Select(r => r.Vin),
        });
        var published = JsonDocument.Parse(await publish.Content.ReadAsStringAsync()).RootElement;
        Assert.True(publish.IsSuccessStatusCode, published.ToString());
        var taskId = published.GetProperty("taskId").GetInt64();
        Assert.Equal(rows.Count, published.GetProperty("accepted").GetInt32());

        // 2. The fleet listens; the push job sends.
        var options = new SimulatorOptions
        {
            MqttPort = fixture.App.MqttPort,
            MqttUsername = BrokerCredentials.MonitorUser,
            MqttPassword = TestBroker.Credentials.MonitorPassword,
            FailureRate = 0.5,
            FailureTypes = [(ErrorType.DownloadFailed, 2), (ErrorType.PrepareUpgradeFailed, 1), (ErrorType.UpgradeFailed, 1), (ErrorType.RollbackFailed, 1)],
            CommandRate = 0.3,
            Concurrency = 8,
            IdleAfter = TimeSpan.FromSeconds(5),
            Seed = 7,
            RecordOutcomes = true,
            CutRate = 0.3,
        };
        var vehicles = rows.ToDictionary(r => r.Vin, r => new SimulatedVehicle(r.Vin, "S1-M1", r.FirmwareVersion, r.Secret!));
        using var vehicleHttp = fixture.App.CreateClient();
        var simulation = new FleetSimulation(options, vehicles, vehicleHttp);
        var running = simulation.RunAsync(CancellationToken.None);
        await simulation.Listening.WaitAsync(TimeSpan.FromSeconds(30)); // the fleet is subscribed before the notices go out
        var push = services.GetRequiredService<TaskPushJob>();
        await push.WorkAsync(CancellationToken.None);
        var summary = await running.WaitAsync(TimeSpan.FromMinutes(5)); // ends 5 s after the last vehicle is done
        await push.RunAsync(CancellationToken.None);

        Assert.Equal(0, summary.ProtocolErrors);
        // Every vehicle that got as far as downloading fetched its files through its own links, some resumed mid-way.
        Assert.True(summary.FilesDownloaded > 0 && summary.BytesDownloaded > 0, $"{summary.FilesDownloaded} files downloaded");
        Assert.True(summary.TransfersResumed > 0, "no transfer was cut and resumed");
        Assert.Empty(summary.DownloadFailuresByCode);
        Assert.Equal(rows.Count, summary.Notices);
        Assert.Equal(rows.Count, summary.DescriptionsFetched);
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task", $"id = {taskId} AND status = 'Executed'"));

        // Every vehicle notified once; every description stored; every status stored.
        Assert.Equal(rows.Count, await fixture.Database.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId} AND kind = 'Upgrade'"));
        Assert.Equal(rows.Count, await Scalar($"SELECT COUNT(DISTINCT vin) FROM ota_vehicle_download_notice WHERE task_id = {taskId}"));
        Assert.Equal(summary.DescriptionsFetched, await fixture.Database.CountAsync("ota_document", "collection = 'package_descriptions'"));
        var storedStatuses = await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"task_id = {taskId}");
        Assert.True(summary.StatusReports == storedStatuses, $"{summary.StatusReports} status reports accepted, {storedStatuses} stored");

        // Follow-ups, once the outbox has drained.
        await WaitForFollowUpsAsync(summary.StatusReports);
        var outcomes = summary.Outcomes;
        var customerVins = customers.Select(c => c.Vin).ToHashSet();
        string[] compensable = [nameof(ErrorType.DownloadFailed), nameof(ErrorType.PrepareUpgradeFailed)];
        string[] workOrderErrors = [nameof(ErrorType.UpgradeFailed), nameof(ErrorType.RollbackFailed)];
        var flagged = outcomes.Where(o => customerVins.Contains(o.Key) && compensable.Contains(o.Value)).Select(o => o.Key).ToList();
        var workOrders = outcomes.Count(o => customerVins.Contains(o.Key) && workOrderErrors.Contains(o.Value));
        Assert.NotEmpty(flagged);
        Assert.True(workOrders > 0, "the seed gave no upgrade failure to a customer's vehicle");
        Assert.Equal(flagged.Order(), await Vins($"SELECT vin FROM ota_task_vin WHERE task_id = {taskId} AND is_resend = 1"));
        Assert.Equal(workOrders, await fixture.Database.CountAsync("ota_work_order", $"task_id = {taskId}"));
        Assert.Equal(outcomes.Count(o => o.Value == "Succeeded"), await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Succeeded'"));
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString))
        {
            var streamed = await redis.GetDatabase(fixture.Redis.Database).StreamLengthAsync("ota:upgrade-status");
            Assert.True(summary.StatusReports == streamed, $"{summary.StatusReports} status reports accepted, {streamed} in the stream");
        }

        // 3. Compensation re-sends the failed downloads, once each, and clears their flags.
        await services.GetRequiredService<TaskCompensationJob>().RunAsync(CancellationToken.None);
        Assert.Equal(flagged.Order(), await Vins($"SELECT vin FROM ota_vehicle_download_notice WHERE task_id = {taskId} AND resend_count = 1"));
        Assert.Equal(0, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND is_resend = 1"));
        Assert.Equal(flagged.Count, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND resend_count = 1"));
    }

    private async Task WaitForFollowUpsAsync(long statusReports)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var decided = await fixture.Database.CountAsync("ota_follow_up", "step = 'Decide' AND state = 'Done'");
            var open = await fixture.Database.CountAsync("ota_follow_up", "state = 'Pending' AND step IN ('Decide', 'PublishToStream')");
            if (decided >= statusReports && open == 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"follow-ups did not drain: {decided}/{statusReports} decided, {open} open");
            await Task.Delay(200);
        }
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = new MySqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private async Task<List<string>> Vins(string sql)
    {
        var vins = new List<string>();
        await using var connection = new MySqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql + " ORDER BY vin", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) vins.Add(reader.GetString(0));
        return vins;
    }
}
