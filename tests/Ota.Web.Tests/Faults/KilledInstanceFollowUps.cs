using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Events.Reports;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Infrastructure.EventReports;
using Ota.Infrastructure.FollowUps;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Web.Tests.Faults;

/// <summary>
/// The follow-ups of a batch of status reports are decided in one transaction (issue 22): an instance killed (SIGKILL)
/// in the middle of writing a batch leaves nothing of it behind, and once its lease runs out another instance decides the
/// whole batch again, every action kind once. The victim is the real app in a process of its own.
/// </summary>
public sealed class KilledInstanceFollowUps(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>
{
    private const string Vins = "LTESTD%";

    [Fact]
    public async Task ABatchWithEveryActionKindIsDecidedInOneTransactionAndOnlyOnceAfterItsInstanceWasKilledMidBatch()
    {
        var settings = new Dictionary<string, string?>
        {
            ["FollowUps:Lease"] = "00:00:05",
            ["FollowUps:PollInterval"] = "00:00:00.200",
            ["Compensation:MaxResendCount"] = "2",
        };
        await using var tools = TestServices.Create(db, redis, settings);
        var fleet = new TestFleet(tools, db);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, 5).Select(n => TestFleet.TestVin(n, 'D')).ToArray();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        var normal = await NotifiedTaskAsync(fleet, TaskType.Normal, vins[..4], resendCount: vin => vin == vins[2] ? 2 : 0);
        var sampling = await NotifiedTaskAsync(fleet, TaskType.Sampling, [vins[4]], resendCount: _ => 0);

        // Five customers' cars (sold, activated) report, and between them every action of SPEC §7 applies:
        // a flashing failure (operations message, work order, log read-back, error type, push, stream), a download failure
        // (flagged for a resend), one at the resend limit (cannot compensate), a success (firmware version, push) and a
        // sampling task's success (factory group).
        var writer = tools.GetRequiredService<EventReportWriter>();
        await ReportAsync(writer, vins[0], normal, UpgradeState.Failed, ErrorType.UpgradeFailed);
        await ReportAsync(writer, vins[1], normal, UpgradeState.Failed, ErrorType.DownloadFailed);
        await ReportAsync(writer, vins[2], normal, UpgradeState.Failed, ErrorType.DownloadFailed);
        await ReportAsync(writer, vins[3], normal, UpgradeState.Succeeded, null);
        await ReportAsync(writer, vins[4], sampling, UpgradeState.Succeeded, null, TriggerType.SamplingTask);
        // Not due yet: they become due together below, so the victim claims them as one batch.
        await db.ExecuteAsync($"UPDATE ota_follow_up SET next_attempt_at = UTC_TIMESTAMP(3) + INTERVAL 1 DAY WHERE vin LIKE '{Vins}' AND step = 'Decide'");

        var victimSettings = AppProcess.VictimSettings(db, redis, settings);
        victimSettings["Mqtt:Port"] = "0"; // the broker takes a free port when it binds
        await using var victim = await AppProcess.StartAsync(victimSettings);

        // Hold the victim inside its transaction: the vehicles are locked for reading only, so it claims the batch, reads it,
        // locks its Decide rows, inserts the work orders, messages and action rows, and waits at the firmware update.
        const string FirmwareUpdate = "info LIKE 'UPDATE %STRAIGHT_JOIN ota_vehicle v%'";
        await using (var hold = new MySqlConnection(db.ConnectionString))
        {
            await hold.OpenAsync();
            await using (var lockTable = new MySqlCommand("LOCK TABLES ota_vehicle READ", hold)) await lockTable.ExecuteNonQueryAsync();
            await db.ExecuteAsync($"UPDATE ota_follow_up SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE vin LIKE '{Vins}' AND step = 'Decide'");
            await Eventually.WaitUntilAsync(async () => await ProcessesAsync(FirmwareUpdate) == 1, TimeSpan.FromMinutes(1), "the victim to wait inside its batch");
            Assert.Equal(5, await db.CountAsync("ota_follow_up", $"vin LIKE '{Vins}' AND step = 'Decide' AND state = 'Pending' AND claimed_by LIKE 'victim#%'"));
            // Half-written, not committed: only a dirty read sees the batch's rows.
            Assert.True(await UncommittedAsync("ota_follow_up", $"vin LIKE '{Vins}' AND step <> 'Decide'") >= 10);
            Assert.Equal(1, await UncommittedAsync("ota_work_order", $"vin LIKE '{Vins}'"));
            await victim.KillAsync();
            await using var unlock = new MySqlCommand("UNLOCK TABLES", hold);
            await unlock.ExecuteNonQueryAsync();
        }
        output.WriteLine(victim.Log);

        // The killed transaction is rolled back once the server sees its connection gone (after its blocked statement
        // ends): nothing of the batch remains, not even to a dirty read.
        await Eventually.WaitUntilAsync(async () => await UncommittedAsync("ota_follow_up", $"vin LIKE '{Vins}' AND step <> 'Decide'") == 0
            && await UncommittedAsync("ota_work_order", $"vin LIKE '{Vins}'") == 0 && await UncommittedAsync("ota_notification", $"vin LIKE '{Vins}'") == 0,
            TimeSpan.FromMinutes(1), "the victim's transaction to be rolled back");

        // The survivor (these services, no worker of their own) takes the batch over once the victim's lease has run out.
        var decider = tools.GetRequiredService<FollowUpDecider>();
        var decided = 0;
        await Eventually.WaitUntilAsync(async () => (decided = await decider.DecideDueAsync()) > 0, TimeSpan.FromMinutes(1), "the victim's lease to run out");
        Assert.Equal(5, decided);

        Assert.Equal(5, await db.CountAsync("ota_follow_up", $"vin LIKE '{Vins}' AND step = 'Decide' AND state = 'Done' AND attempts = 1 AND claimed_by IS NULL"));
        var steps = await ActionStepsAsync();
        Assert.Equal(Enum.GetValues<FollowUpStep>().Where(s => s != FollowUpStep.Decide).Select(s => s.ToString()).Order(), steps.Order());
        Assert.Equal(0, await db.CountAsync($"(SELECT status_id FROM ota_follow_up WHERE vin LIKE '{Vins}' GROUP BY status_id, step HAVING COUNT(*) > 1) twice", "TRUE"));
        // One batch, one transaction: every action row was written at the same moment.
        Assert.Equal(1, await db.CountAsync($"(SELECT DISTINCT created_at FROM ota_follow_up WHERE vin LIKE '{Vins}' AND step <> 'Decide') t", "TRUE"));
        // What the actions did, once each.
        Assert.Equal(1, await db.CountAsync("ota_work_order", $"vin = '{vins[0]}' AND error_type = 'UpgradeFailed'"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {normal} AND vin = '{vins[0]}' AND error_type = 'UpgradeFailed'"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {normal} AND vin = '{vins[1]}' AND is_resend = 1"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {normal} AND vin = '{vins[2]}' AND is_resend = 0"));
        Assert.Equal(2, await db.CountAsync("ota_vehicle", $"vin IN ('{vins[3]}', '{vins[4]}') AND firmware_version = '3.1.5'"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {sampling} AND vin = '{vins[4]}' AND state = 'Succeeded'"));
        // No endpoint is configured here: every message is kept in the notification centre, with its action row done.
        var messages = await db.CountAsync("ota_follow_up", $"vin LIKE '{Vins}' AND notification_id IS NOT NULL");
        Assert.Equal(messages, await db.CountAsync("ota_notification", $"vin LIKE '{Vins}' AND delivery_status = '{NotificationDelivery.Local}'"));
        Assert.Equal(0, await db.CountAsync("ota_follow_up", $"vin LIKE '{Vins}' AND state = 'Pending'"));
    }

    /// <summary>Rows as a dirty read sees them, uncommitted ones included.</summary>
    private async Task<long> UncommittedAsync(string table, string where)
    {
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            $"SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SELECT COUNT(*) FROM {table} WHERE {where}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Statements running in this test's database whose text matches <paramref name="condition"/> (this query's own excepted).</summary>
    private Task<long> ProcessesAsync(string condition) =>
        db.CountAsync("information_schema.processlist", $"db = DATABASE() AND command = 'Query' AND info NOT LIKE 'SELECT%' AND {condition}");

    private async Task<List<string>> ActionStepsAsync()
    {
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT DISTINCT step FROM ota_follow_up WHERE vin LIKE '{Vins}' AND step <> 'Decide'", connection);
        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) steps.Add(reader.GetString(0));
        return steps;
    }

    private async Task<long> NotifiedTaskAsync(TestFleet fleet, TaskType type, string[] vins, Func<string, int> resendCount)
    {
        await using var context = db.NewContext();
        var now = DateTime.UtcNow;
        var task = new UpgradeTask
        {
            Name = $"killed decider {type}", Type = type, Source = TaskSource.Console, SeriesModelId = await fleet.SeriesModelIdAsync("S1-M1"),
            TargetVersion = "3.1.5", Generation = Generation.OTA1, CreatedBy = "test", CreatedAt = now,
        };
        task.Publish(now, "test");
        context.Tasks.Add(task);
        await context.SaveChangesAsync();
        context.TaskVins.AddRange(vins.Select(v => new TaskVin
        {
            TaskId = task.Id, Vin = v, State = TaskVinState.Notified, NotifiedAt = now, ResendCount = resendCount(v), CreatedAt = now,
        }));
        await context.SaveChangesAsync();
        return task.Id;
    }

    private static Task ReportAsync(EventReportWriter writer, string vin, long taskId, UpgradeState state, ErrorType? error,
        TriggerType trigger = TriggerType.NormalTask) =>
        writer.StoreAsync(new EventReport(vin,
        [
            new ReportedUpgradeStatus(new ReportedEventHeader(0, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow, taskId, null))
            {
                State = state, TriggerType = trigger, ErrorType = error, Version = error is null ? "3.1.5" : null,
            },
        ], [], []));
}
