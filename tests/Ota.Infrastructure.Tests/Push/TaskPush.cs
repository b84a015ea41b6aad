using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>The push job (SPEC §5) run by one instance: what is sent, recorded, closed, superseded and left pending.</summary>
public sealed class TaskPush(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() =>
        _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?> { ["Push:ChunkSize"] = "7" });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task SendsEachVehicleTheNoticeOfTheSpecAndRecordsIt()
    {
        var vins = await _world.AddVehiclesAsync('A', 20);
        var taskId = await _world.PublishTaskAsync(vins);

        var report = await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(20, NoticeWorld.Patience);

        Assert.Equal(20, report.Sent);
        Assert.Contains(taskId, report.ExecutedTasks);
        var received = _world.Subscriber.Received.Single(r => r.Message!.Vin == vins[3]);
        Assert.Equal($"ota/v1/vehicles/{vins[3]}/notices", received.Topic);
        using var json = JsonDocument.Parse(received.Json);
        var root = json.RootElement;
        long packageId;
        await using (var context = db.NewContext())
            packageId = (await context.Tasks.SingleAsync(t => t.Id == taskId)).PackageId!.Value;
        // The SPEC §5 fields, then the product's signature of them (SPEC §15).
        Assert.Equal(["messageId", "taskId", "vin", "version", "packageId", "upgradeType", "generation", "keyId", "signature"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal($"{taskId}-{vins[3]}-0", root.GetProperty("messageId").GetString());
        Assert.Equal(taskId, root.GetProperty("taskId").GetInt64());
        Assert.Equal(vins[3], root.GetProperty("vin").GetString());
        Assert.Equal("3.1.5", root.GetProperty("version").GetString());
        Assert.Equal(packageId, root.GetProperty("packageId").GetInt64());
        Assert.Equal("Normal", root.GetProperty("upgradeType").GetString());
        Assert.Equal("OTA1", root.GetProperty("generation").GetString());
        var active = (await _world.Get<SigningKeys>().PublishedAsync()).Keys.Single(k => k.Active);
        Assert.Equal(active.KeyId, root.GetProperty("keyId").GetString());
        Assert.True(NoticeSignature.Verify(received.Message!, VerifyingKey.From(active)!));

        await using var check = db.NewContext();
        var notice = await check.DownloadNotices.SingleAsync(n => n.TaskId == taskId && n.Vin == vins[3]);
        Assert.Equal((root.GetProperty("messageId").GetString(), packageId, "3.1.5", TaskType.Normal, NoticeKind.Upgrade, 0),
            (notice.MessageId, notice.PackageId!.Value, notice.Version, notice.UpgradeType, notice.Kind, notice.ResendCount));
        var taskVin = await check.TaskVins.SingleAsync(v => v.TaskId == taskId && v.Vin == vins[3]);
        Assert.Equal((TaskVinState.Notified, notice.MessageId), (taskVin.State, taskVin.MessageId));
        Assert.NotNull(taskVin.NotifiedAt);
        Assert.Null(taskVin.LeaseUntil);
        Assert.StartsWith("tester#", taskVin.ClaimedBy);
        Assert.Equal(20, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(UpgradeTaskStatus.Executed, (await check.Tasks.SingleAsync(t => t.Id == taskId)).Status);
        // The activity chart counts the notices recorded, once each.
        Assert.Equal(20L, Convert.ToInt64(await db.ScalarAsync($"SELECT COALESCE(SUM(notices), 0) FROM ota_task_activity_minute WHERE task_id = {taskId}")));

        // A second run finds nothing to send.
        var again = await _world.PushAsync();
        Assert.Equal(0, again.Claimed);
        Assert.Equal(20, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(20L, Convert.ToInt64(await db.ScalarAsync($"SELECT COALESCE(SUM(notices), 0) FROM ota_task_activity_minute WHERE task_id = {taskId}")));
    }

    [Fact]
    public async Task SendsHigherPriorityTasksFirstAndWaitsForScheduledTimes()
    {
        var vins = await _world.AddVehiclesAsync('B', 9);
        var low = await _world.PublishTaskAsync(vins[..3], priority: 1, name: "low");
        var high = await _world.PublishTaskAsync(vins[3..6], priority: 9, name: "high");
        var later = await _world.PublishTaskAsync(vins[6..], priority: 99, scheduledAt: DateTime.UtcNow.AddHours(1), name: "later");

        await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(6, NoticeWorld.Patience);

        var order = _world.Subscriber.Received.Select(r => r.Message!.TaskId).Where(t => t == low || t == high).ToList();
        Assert.Equal([high, high, high, low, low, low], order);
        Assert.Equal(3, await _world.CountAsync("ota_task_vin", $"task_id = {later} AND state = 'Pending'"));
        Assert.Equal(0, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {later}"));
    }

    [Fact]
    public async Task ClosesVinsThatNoLongerQualifyWithTheirCodesInsteadOfSendingThem()
    {
        var vins = await _world.AddVehiclesAsync('C', 4);
        var taskId = await _world.PublishTaskAsync(vins);
        await _world.Fleet.AddToListAsync(VehicleListKind.Blacklist, vins[1]);
        await _world.Fleet.SetLatestStatusAsync(vins[2], TriggerType.ForcedTask, UpgradeState.Upgrading);

        var report = await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(2, NoticeWorld.Patience);

        Assert.Equal((2, 2), (report.Sent, report.Rejected));
        await using var context = db.NewContext();
        var rows = await context.TaskVins.Where(v => v.TaskId == taskId).ToDictionaryAsync(v => v.Vin);
        Assert.Equal((TaskVinState.Closed, "BLACKLISTED"), (rows[vins[1]].State, rows[vins[1]].VerdictCodes));
        Assert.Equal((TaskVinState.Closed, "UPGRADE_IN_PROGRESS"), (rows[vins[2]].State, rows[vins[2]].VerdictCodes));
        Assert.Contains("no longer qualifies (BLACKLISTED)", rows[vins[1]].CloseReason);
        Assert.Equal("push", rows[vins[1]].UpdatedBy);
        Assert.Equal(TaskVinState.Notified, rows[vins[0]].State);
        Assert.Empty(_world.ReceivedFor(vins[1]));
        Assert.Empty(_world.ReceivedFor(vins[2]));
        Assert.Equal(UpgradeTaskStatus.Executed, (await context.Tasks.SingleAsync(t => t.Id == taskId)).Status);
    }

    [Fact]
    public async Task ASamplingTaskFirstCancelsTheVinsOtherNotStartedTaskVins()
    {
        var vins = await _world.AddVehiclesAsync('D', 3);
        // On the forced whitelist, the same customer vehicles qualify for a sampling and a normal task.
        await _world.Fleet.AddToListAsync(VehicleListKind.WhitelistForced, vins);
        var sampling = await _world.PublishTaskAsync(vins[..2], type: TaskType.Sampling, name: "sampling");
        // A task drafted afterwards holds the same VINs, not started (publishing it would supersede the sampling task's).
        var normal = await _world.PublishTaskAsync(vins, name: "normal draft", publish: false);

        var report = await _world.PushAsync();

        Assert.Equal((2, 2), (report.Sent, report.Superseded));
        Assert.Equal(2, await _world.CountAsync("ota_task_vin",
            $"task_id = {normal} AND state = 'Superseded' AND is_delete = 1 AND superseded_by_task_id = {sampling} AND updated_by = 'push'"));
        Assert.Equal(1, await _world.CountAsync("ota_task_vin", $"task_id = {normal} AND state = 'Pending' AND vin = '{vins[2]}'"));
        Assert.Equal(2, await _world.CountAsync("ota_task_vin", $"task_id = {sampling} AND state = 'Notified'"));
    }

    [Fact]
    public async Task LeavesVinsPendingWhileTheBrokerIsDownAndSendsThemOnceItIsBack()
    {
        var vins = await _world.AddVehiclesAsync('E', 10);
        var taskId = await _world.PublishTaskAsync(vins);
        await _world.Broker.StopAsync(CancellationToken.None);

        var down = await _world.PushAsync();

        Assert.Equal(0, down.Sent);
        Assert.NotNull(down.StoppedBecause);
        Assert.Equal(10, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending' AND claimed_by IS NULL AND lease_until IS NULL"));
        Assert.Equal(0, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        await using (var context = db.NewContext())
            Assert.Equal(UpgradeTaskStatus.Published, (await context.Tasks.SingleAsync(t => t.Id == taskId)).Status);

        await _world.Broker.StartAsync(CancellationToken.None);
        await _world.ResubscribeAsync();
        var up = await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(10, NoticeWorld.Patience);

        Assert.Equal(10, up.Sent);
        Assert.Equal(10, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Contains(taskId, up.ExecutedTasks);
    }

    [Fact]
    public async Task DoesNotPushATaskWhosePackageWasRevokedAndSaysWhy()
    {
        var vins = await _world.AddVehiclesAsync('F', 3);
        var taskId = await _world.PublishTaskAsync(vins, target: "3.1.5");
        await db.ExecuteAsync(
            $"UPDATE ota_package_total_full SET status = 'Revoked' WHERE id = (SELECT package_id FROM ota_task WHERE id = {taskId})");
        try
        {
            var report = await _world.PushAsync();

            Assert.Contains(taskId, report.BlockedTasks);
            Assert.Equal(3, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending'"));
            await using var context = db.NewContext();
            var info = TaskExtensionInfo.Parse((await context.Tasks.SingleAsync(t => t.Id == taskId)).ExtensionInfo);
            Assert.StartsWith("PKG_NOT_RELEASED", info.PushBlockedBy);
        }
        finally
        {
            await db.ExecuteAsync(
                $"UPDATE ota_package_total_full SET status = 'Released' WHERE id = (SELECT package_id FROM ota_task WHERE id = {taskId})");
        }
        var released = await _world.PushAsync();
        Assert.Equal(3, released.Sent);
        await using (var context = db.NewContext())
            Assert.Null(TaskExtensionInfo.Parse((await context.Tasks.SingleAsync(t => t.Id == taskId)).ExtensionInfo).PushBlockedBy);
    }

    [Fact]
    public async Task RespectsALiveClaimAndTakesOverAnExpiredOneWithTheSameMessageIds()
    {
        var vins = await _world.AddVehiclesAsync('G', 6);
        var taskId = await _world.PublishTaskAsync(vins);
        // Another instance holds three of the VINs: two with a live lease, one whose lease ran out (the instance died).
        await db.ExecuteAsync($"""
            UPDATE ota_task_vin SET claimed_by = 'elsewhere#1', lease_until = UTC_TIMESTAMP(3) + INTERVAL 1 HOUR
            WHERE task_id = {taskId} AND vin IN ('{vins[0]}', '{vins[1]}');
            UPDATE ota_task_vin SET claimed_by = 'elsewhere#2', lease_until = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND
            WHERE task_id = {taskId} AND vin = '{vins[2]}';
            """);

        var report = await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(4, NoticeWorld.Patience);

        Assert.Equal(4, report.Sent);
        Assert.DoesNotContain(taskId, report.ExecutedTasks);
        Assert.Equal(2, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending' AND claimed_by = 'elsewhere#1'"));
        Assert.Empty(_world.ReceivedFor(vins[0]));
        Assert.Equal($"{taskId}-{vins[2]}-0", Assert.Single(_world.ReceivedFor(vins[2])).MessageId);
    }
}
