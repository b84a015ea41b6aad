using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Fleet;
using Ota.Testing;
using StackExchange.Redis;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

/// <summary>The app with every follow-up endpoint pointed at a <see cref="VehicleWebhookListener"/> and quick retries.</summary>
public class VehicleFollowUpFixture : AppFixture
{
    public VehicleWebhookListener Listener { get; } = new(OtaAppFactory.FreeTcpPort());

    /// <summary>False: nothing listens at first (the retry tests start the listener themselves).</summary>
    protected virtual bool ListenFromTheStart => true;

    protected override void Configure(OtaAppFactory app)
    {
        var s = app.Settings;
        s["VehicleApi:CatalogCheckInterval"] = "00:00:00";
        s["Webhooks:OperationsAssistant:Url"] = Listener.Url("/ops");
        s["Webhooks:OperationsAssistant:Secret"] = "ops-bot-secret";
        s["Webhooks:WorkOrderGroup:Url"] = Listener.Url("/work-orders");
        s["Webhooks:FactoryGroup:Url"] = Listener.Url("/factory");
        s["Adapters:LogService:Url"] = Listener.Url("/logs");
        s["Adapters:MessageService:Url"] = Listener.Url("/messages");
        s["Adapters:MobilePush:Url"] = Listener.Url("/push");
        s["Adapters:Http:MaxRetryAttempts"] = "1";
        s["Adapters:Http:RetryDelay"] = "00:00:00.010";
        s["Adapters:Http:AttemptTimeout"] = "00:00:02";
        s["Adapters:Http:TotalTimeout"] = "00:00:05";
        s["FollowUps:PollInterval"] = "00:00:00.200";
        s["FollowUps:RetryDelay"] = "00:00:00.300";
        s["FollowUps:MaxRetryDelay"] = "00:00:01";
        s["FollowUps:NonRetryableInnerErrorCodes:0"] = "E-NORETRY";
        s["Compensation:MaxResendCount"] = "2";
    }

    protected override async Task StartAsync(OtaAppFactory app)
    {
        if (ListenFromTheStart) await Listener.StartAsync();
        await base.StartAsync(app);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Listener.DisposeAsync();
    }
}

public sealed class VehicleFollowUpRetryFixture : VehicleFollowUpFixture
{
    protected override bool ListenFromTheStart => false;
}

/// <summary>What the tests of follow-ups share: vehicles, status reports, and waiting for the worker to finish with a report.</summary>
public abstract class FollowUpTests(VehicleFollowUpFixture fixture, char vinLetter) : IAsyncLifetime
{
    private static int _next;
    protected HttpClient Client { get; private set; } = null!;
    protected TestFleet Fleet { get; private set; } = null!;
    protected VehicleFollowUpFixture Fixture => fixture;

    public async Task InitializeAsync()
    {
        Fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await Fleet.ImportDemoCatalogAsync();
        Client = fixture.App.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task<string> VehicleAsync(Func<VehicleRow, VehicleRow>? change = null)
    {
        var vin = TestFleet.TestVin(Interlocked.Increment(ref _next), vinLetter);
        await Fleet.AddVehiclesAsync([await Fleet.VehicleAsync(vin, change)]);
        return vin;
    }

    protected async Task<string> ReportAsync(string vin, string state, string trigger, string? error = null, string? inner = null,
        string? version = null, long? taskId = null, string? messageId = null, DateTimeOffset? occurredAt = null)
    {
        var eventId = Guid.NewGuid().ToString();
        var evt = new Dictionary<string, object?>
        {
            ["eventId"] = eventId, ["type"] = "UpgradeStatus", ["occurredAt"] = (occurredAt ?? DateTimeOffset.UtcNow).ToString("O"),
            ["state"] = state, ["triggerType"] = trigger, ["errorType"] = error, ["innerErrorCode"] = inner, ["version"] = version,
            ["taskId"] = taskId, ["messageId"] = messageId,
        };
        var answer = await OkJsonAsync(await PostSignedAsync(Client, Events, vin, JsonSerializer.Serialize(new { vin, events = new[] { evt } })));
        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        return eventId;
    }

    /// <summary>The report's follow-ups once the worker has decided them and none is waiting for delivery.</summary>
    protected async Task<Dictionary<string, (string State, string Detail)>> FollowUpsOfAsync(string eventId, bool allSettled = true)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = await RowsAsync(eventId);
            var decided = rows.Any(r => r.Step == "Decide" && r.State == "Done");
            if (decided && (!allSettled || rows.All(r => r.State != "Pending")))
                return rows.Where(r => r.Step != "Decide").ToDictionary(r => r.Step, r => (r.State, r.Detail));
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The follow-ups of {eventId} did not settle: {string.Join("; ", rows.Select(r => $"{r.Step} {r.State} {r.Detail}"))}");
            await Task.Delay(100);
        }
    }

    private async Task<List<(string Step, string State, string Detail)>> RowsAsync(string eventId)
    {
        await using var connection = new MySqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("""
            SELECT f.step, f.state, COALESCE(f.detail, '') FROM ota_follow_up f JOIN ota_vehicle_upgrade_status s ON s.id = f.status_id
            WHERE s.event_id = @e ORDER BY f.id
            """, connection);
        command.Parameters.AddWithValue("@e", eventId);
        var rows = new List<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    protected Task<long> CountAsync(string table, string where) => fixture.Database.CountAsync(table, where);
}

public sealed class VehicleFollowUps(VehicleFollowUpFixture fixture) : FollowUpTests(fixture, 'F'), IClassFixture<VehicleFollowUpFixture>
{
    private static string Text(JsonNode feishu) => feishu["content"]!["text"]!.GetValue<string>();

    [Fact]
    public async Task AFailedCampaignUpgradeOfACustomersVehicleFiresItsFollowUps()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin], messageId: $"msg-{vin}");
        var eventId = await ReportAsync(vin, "Failed", "NormalTask", "UpgradeFailed", inner: "E42", messageId: $"msg-{vin}");

        var done = await FollowUpsOfAsync(eventId);
        Assert.Equal(["LogReadBack", "MobilePush", "OperationsAssistantMessage", "PublishToStream", "RecordErrorTypeOnTaskVin", "WorkOrder"],
            done.Keys.Order());
        Assert.All(done.Values, v => Assert.Equal("Done", v.State));

        // 1: the operations assistant's bot got a signed Feishu text message naming the VIN and the task.
        var ops = Assert.Single(Fixture.Listener.BodiesAt("/ops"), b => Text(b).Contains(vin));
        Assert.Equal("text", ops["msg_type"]!.GetValue<string>());
        Assert.Contains($"task {taskId}", Text(ops));
        Assert.False(string.IsNullOrEmpty(ops["sign"]?.GetValue<string>()));
        // 2: a work order and the work-order group's message.
        Assert.Equal(1, await CountAsync("ota_work_order", $"vin = '{vin}' AND task_id = {taskId} AND error_type = 'UpgradeFailed' AND inner_error_code = 'E42'"));
        Assert.Single(Fixture.Listener.BodiesAt("/work-orders"), b => Text(b).Contains(vin));
        // 3: the log service was asked for the window around the failure.
        Assert.Single(Fixture.Listener.BodiesAt("/logs"), b => b["vin"]!.GetValue<string>() == vin);
        // 5: the error type is on the task-VIN (found through the notice's message id), whose state follows the report.
        Assert.Equal(1, await CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{vin}' AND error_type = 'UpgradeFailed' AND state = 'Failed'"));
        // 6: the owner is told.
        Assert.Single(Fixture.Listener.BodiesAt("/push"), b => b["vin"]!.GetValue<string>() == vin && b["kind"]!.GetValue<string>() == "UpgradeFailed");
        // 7: the stream has the report.
        var stream = await Fixture.App.Services.GetRequiredService<IDatabase>().StreamRangeAsync("ota:upgrade-status");
        var entry = Assert.Single(stream, e => e["eventId"] == eventId);
        Assert.Equal((vin, "Failed", "UpgradeFailed", taskId.ToString()), ((string)entry["vin"]!, (string)entry["state"]!, (string)entry["errorType"]!, (string)entry["taskId"]!));
        // Every outgoing message is in the notification centre, delivered.
        Assert.Equal(4, await CountAsync("ota_notification", $"vin = '{vin}' AND delivery_status = 'Delivered' AND attempts = 1")); // ops, work-order group, log service, push
        Assert.Equal(0, await CountAsync("ota_task_vin", $"vin = '{vin}' AND is_resend = 1"));
        // The report's own row says what was decided, for the task found, and is no longer claimed.
        Assert.Equal(1, await CountAsync("ota_follow_up", $"""
            vin = '{vin}' AND step = 'Decide' AND state = 'Done' AND task_id = {taskId} AND attempts = 1 AND done_at IS NOT NULL
            AND claimed_by IS NULL AND lease_until IS NULL
            AND detail = '6 action(s): OperationsAssistantMessage, WorkOrder, LogReadBack, RecordErrorTypeOnTaskVin, MobilePush, PublishToStream.'
            """));
    }

    [Fact]
    public async Task EachVinThatTheDecisionMovesToSuccessOrFailureIsCountedOnceInItsTasksActivity()
    {
        var good = await VehicleAsync();
        var bad = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [good, bad]);

        await FollowUpsOfAsync(await ReportAsync(good, "Succeeded", "NormalTask", version: "3.1.5", taskId: taskId));
        await FollowUpsOfAsync(await ReportAsync(good, "Succeeded", "NormalTask", version: "3.1.5", taskId: taskId)); // the same outcome again
        await FollowUpsOfAsync(await ReportAsync(bad, "Failed", "NormalTask", "UpgradeFailed", taskId: taskId));

        await Eventually.WaitUntilAsync(async () => await CountAsync("ota_task_activity_minute", $"task_id = {taskId}") > 0,
            TimeSpan.FromSeconds(10), "the task's activity to be counted");
        var sums = await Fixture.Database.ScalarAsync(
            $"SELECT CONCAT(SUM(succeeded), '/', SUM(failed)) FROM ota_task_activity_minute WHERE task_id = {taskId}");
        Assert.Equal("1/1", sums);
    }

    [Fact]
    public async Task FailuresFromAfterSalesDiagnosticsAreNotReportedToOperationsNorMadeWorkOrders()
    {
        var vin = await VehicleAsync();
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Failed", "Adi", "UpgradeFailed"));
        Assert.DoesNotContain("OperationsAssistantMessage", done.Keys);
        Assert.DoesNotContain("WorkOrder", done.Keys);
        Assert.Contains("PublishToStream", done.Keys);
        Assert.DoesNotContain(Fixture.Listener.BodiesAt("/ops"), b => Text(b).Contains(vin));
        Assert.Equal(0, await CountAsync("ota_work_order", $"vin = '{vin}'"));
        Assert.Equal(1, await CountAsync("ota_follow_up", $"vin = '{vin}' AND step = 'Decide' AND state = 'Done' AND task_id IS NULL AND attempts = 1"));
    }

    [Fact]
    public async Task AnUnsoldVehicleGetsNoWorkOrderAndNoPush()
    {
        var vin = await VehicleAsync(v => v with { Sold = false, LifecycleStatus = LifecycleStatus.InStock });
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Failed", "NormalTask", "RollbackFailed"));
        Assert.Contains("OperationsAssistantMessage", done.Keys);
        Assert.DoesNotContain("WorkOrder", done.Keys);
        Assert.DoesNotContain("MobilePush", done.Keys);
        Assert.Equal(0, await CountAsync("ota_work_order", $"vin = '{vin}'"));
    }

    [Fact]
    public async Task ADownloadFailureFlagsTheTaskVinForACompensatingResend()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin], messageId: $"msg-{vin}");
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Failed", "NormalTask", "DownloadFailed", messageId: $"msg-{vin}"));

        Assert.Equal("Done", done["FlagForResend"].State);
        Assert.Equal(1, await CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{vin}' AND is_resend = 1"));
        Assert.DoesNotContain("LogReadBack", done.Keys); // no flashing error in the vehicle's history
        Assert.DoesNotContain("WorkOrder", done.Keys);
        Assert.DoesNotContain("RecordErrorTypeOnTaskVin", done.Keys);
    }

    [Fact]
    public async Task ANonRetryableInnerErrorIsNotCompensated()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Failed", "NormalTask", "PrepareUpgradeFailed", inner: "e-noretry", taskId: taskId));

        Assert.DoesNotContain("FlagForResend", done.Keys);
        Assert.DoesNotContain("CannotCompensate", done.Keys);
        Assert.Equal(0, await CountAsync("ota_task_vin", $"task_id = {taskId} AND is_resend = 1"));
        Assert.Single(Fixture.Listener.BodiesAt("/push"), b => b["vin"]!.GetValue<string>() == vin && b["kind"]!.GetValue<string>() == "PreconditionsNotMet");
    }

    [Fact]
    public async Task AtTheResendLimitTheMessageServiceIsToldItCannotBeCompensated()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin], resendCount: 2);
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Failed", "NormalTask", "DownloadFailed"));

        Assert.Equal("Done", done["CannotCompensate"].State);
        Assert.DoesNotContain("FlagForResend", done.Keys);
        Assert.Equal(0, await CountAsync("ota_task_vin", $"task_id = {taskId} AND is_resend = 1"));
        var message = Assert.Single(Fixture.Listener.BodiesAt("/messages"), b => b["vin"]!.GetValue<string>() == vin);
        Assert.Equal(("ota-operations", "Cannot compensate", taskId), (message["to"]!.GetValue<string>(), message["title"]!.GetValue<string>(), message["taskId"]!.GetValue<long>()));
        Assert.Equal(1, await CountAsync("ota_notification", $"vin = '{vin}' AND channel = 'Message' AND delivery_status = 'Delivered'"));
    }

    [Fact]
    public async Task AVehicleNoLongerEligibleIsNotFlaggedForAResend()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        await Fleet.AddToListAsync(VehicleListKind.Blacklist, vin);
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Failed", "NormalTask", "DownloadFailed"));

        Assert.Equal("Skipped", done["FlagForResend"].State);
        Assert.Contains("BLACKLISTED", done["FlagForResend"].Detail);
        Assert.Equal(0, await CountAsync("ota_task_vin", $"task_id = {taskId} AND is_resend = 1"));
    }

    [Fact]
    public async Task ASuccessUpdatesTheFirmwareVersionAndTellsTheOwner()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Succeeded", "NormalTask", taskId: taskId));

        Assert.Equal(["FirmwareVersionUpdate", "MobilePush", "PublishToStream"], done.Keys.Order());
        Assert.Equal(1, await CountAsync("ota_vehicle", $"vin = '{vin}' AND firmware_version = '3.1.5'")); // the task's target: no version reported
        Assert.Equal(1, await CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{vin}' AND state = 'Succeeded'"));
        Assert.Single(Fixture.Listener.BodiesAt("/push"), b => b["vin"]!.GetValue<string>() == vin && b["kind"]!.GetValue<string>() == "UpgradeSucceeded");
    }

    [Fact]
    public async Task AReportArrivingAfterANewerOneLeavesTheTaskVinAsTheNewerSetIt()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        await FollowUpsOfAsync(await ReportAsync(vin, "Succeeded", "NormalTask", taskId: taskId));
        await FollowUpsOfAsync(await ReportAsync(vin, "Downloading", "NormalTask", taskId: taskId, occurredAt: DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.Equal(1, await CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{vin}' AND state = 'Succeeded'"));
    }

    [Fact]
    public async Task EveryReportOfASamplingTaskGoesToTheFactoryGroup()
    {
        var vin = await VehicleAsync(v => v with { Sold = false, Activated = false, LifecycleStatus = LifecycleStatus.InStock });
        var taskId = await TaskAsync(Fixture.Database, Fleet, TaskType.Sampling, "S1-M1", "3.1.5", [vin]);
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Upgrading", "SamplingTask", taskId: taskId));

        Assert.Equal(["FactoryGroupMessage", "PublishToStream"], done.Keys.Order());
        var message = Assert.Single(Fixture.Listener.BodiesAt("/factory"), b => Text(b).Contains(vin));
        Assert.Contains($"Sampling task {taskId}", Text(message));
    }

    [Fact]
    public async Task AProgressReportOnlyGoesToTheStream()
    {
        var vin = await VehicleAsync();
        var done = await FollowUpsOfAsync(await ReportAsync(vin, "Downloading", "User"));
        Assert.Equal(["PublishToStream"], done.Keys);
        Assert.Equal(0, await CountAsync("ota_notification", $"vin = '{vin}'"));
    }
}

public sealed class VehicleFollowUpRetries(VehicleFollowUpRetryFixture fixture) : FollowUpTests(fixture, 'R'), IClassFixture<VehicleFollowUpRetryFixture>
{
    [Fact]
    public async Task AReportIsAnsweredWhileTheWebhookIsDownAndTheMessageIsDeliveredWhenItIsBack()
    {
        var vin = await VehicleAsync();
        // The report is stored and answered although nothing listens at the webhook's address.
        var eventId = await ReportAsync(vin, "Failed", "User", "UpgradeFailed");

        var waiting = await FollowUpsOfAsync(eventId, allSettled: false);
        Assert.Contains("OperationsAssistantMessage", waiting.Keys);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync("ota_notification", $"vin = '{vin}' AND channel = 'OperationsAssistant' AND attempts >= 1 AND last_error IS NOT NULL") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The first delivery attempt was not recorded.");
            await Task.Delay(100);
        }
        Assert.Equal(1, await CountAsync("ota_notification", $"vin = '{vin}' AND channel = 'OperationsAssistant' AND delivery_status = 'Pending'"));

        await Fixture.Listener.StartAsync();
        var delivered = await FollowUpsOfAsync(eventId);
        Assert.Equal("Done", delivered["OperationsAssistantMessage"].State);
        Assert.Equal(1, await CountAsync("ota_notification", $"vin = '{vin}' AND channel = 'OperationsAssistant' AND delivery_status = 'Delivered' AND attempts >= 2"));
        Assert.Single(Fixture.Listener.BodiesAt("/ops"), b => b["content"]!["text"]!.GetValue<string>().Contains(vin));
    }
}
