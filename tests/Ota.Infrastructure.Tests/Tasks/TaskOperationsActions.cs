using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.Tests.Push;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Tasks;

/// <summary>What operators do to running tasks: cancel a task or VINs (with cancel notices), push now.</summary>
public sealed class TaskOperationsActions(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() => _world = await NoticeWorld.StartAsync(db, redis);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private TaskOperations Operations => _world.Get<TaskOperations>();

    [Fact]
    public async Task CancellingANotifiedVinSendsItsVehicleACancelNoticeAndAPendingOneNothing()
    {
        var vins = await _world.AddVehiclesAsync('H', 4);
        var taskId = await _world.PublishTaskAsync(vins);
        await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(4, NoticeWorld.Patience);
        // One VIN has started downloading, one upgrading; a fourth was never sent (as if added while pending).
        await db.ExecuteAsync($"""
            UPDATE ota_task_vin SET state = 'Downloading' WHERE task_id = {taskId} AND vin = '{vins[1]}';
            UPDATE ota_task_vin SET state = 'Upgrading' WHERE task_id = {taskId} AND vin = '{vins[2]}';
            UPDATE ota_task_vin SET state = 'Pending', notified_at = NULL, message_id = NULL WHERE task_id = {taskId} AND vin = '{vins[3]}';
            """);

        var result = await Operations.CancelVinsAsync(taskId, [vins[0], vins[1].ToLowerInvariant(), vins[2], vins[3], "NOT-A-VIN", TestFleet.TestVin(99, 'H')],
            "alice", "customer asked");
        await _world.Subscriber.WaitForCountAsync(6, NoticeWorld.Patience);

        Assert.Equal((3, 2, 2), (result.Cancelled, result.CancelNoticesDue, result.CancelNoticesSent));
        Assert.Equal(
            [("NOT-A-VIN", "VIN_MALFORMED"), (vins[2], "VIN_NOT_CANCELLABLE"), (TestFleet.TestVin(99, 'H'), "TASK_VIN_NOT_FOUND")],
            result.NotCancelled.Select(r => (r.Entry, r.Code)).ToArray());
        var cancel = _world.ReceivedFor(vins[0]).Last();
        Assert.True(cancel.IsCancel);
        Assert.Equal((taskId, $"{taskId}-{vins[0]}-cancel", "3.1.5"), (cancel.TaskId, cancel.MessageId, cancel.Version));
        var raw = _world.Subscriber.Received.Last(r => r.Message!.Vin == vins[0]).Json;
        Assert.Equal("cancel", JsonDocument.Parse(raw).RootElement.GetProperty("kind").GetString());
        Assert.True(_world.ReceivedFor(vins[1]).Last().IsCancel);
        Assert.DoesNotContain(_world.ReceivedFor(vins[2]), n => n.IsCancel);
        Assert.DoesNotContain(_world.ReceivedFor(vins[3]), n => n.IsCancel);

        await using var context = db.NewContext();
        var rows = await context.TaskVins.Where(v => v.TaskId == taskId).ToDictionaryAsync(v => v.Vin);
        Assert.Equal((TaskVinState.Cancelled, CancelNoticeState.Sent, "alice"), (rows[vins[0]].State, rows[vins[0]].CancelNotice, rows[vins[0]].UpdatedBy));
        Assert.Equal("Cancelled by alice: customer asked", rows[vins[0]].CloseReason);
        Assert.Equal((TaskVinState.Cancelled, (CancelNoticeState?)null), (rows[vins[3]].State, rows[vins[3]].CancelNotice));
        Assert.Equal(TaskVinState.Upgrading, rows[vins[2]].State);
        Assert.Equal(2, await context.DownloadNotices.CountAsync(n => n.TaskId == taskId && n.Kind == NoticeKind.Cancel));
        var audit = await context.AuditLog.SingleAsync(a => a.Action == "CancelVins" && a.EntityId == taskId.ToString());
        Assert.Equal("alice", audit.User);
    }

    [Fact]
    public async Task CancellingATaskStopsItsPushAndACancelNoticeTheBrokerMissedGoesOutWithTheNextPushRun()
    {
        var vins = await _world.AddVehiclesAsync('J', 6);
        var sent = await _world.PublishTaskAsync(vins[..3], name: "sent");
        await _world.PushAsync();
        await _world.Subscriber.WaitForCountAsync(3, NoticeWorld.Patience);
        var waiting = await _world.PublishTaskAsync(vins[3..], scheduledAt: DateTime.UtcNow.AddDays(1), name: "waiting");

        await _world.Broker.StopAsync(CancellationToken.None);
        var first = await Operations.CancelTaskAsync(sent, "bob");
        var second = await Operations.CancelTaskAsync(waiting, "bob", "wrong target");

        Assert.Equal((3, 3, 0), (first.Cancelled, first.CancelNoticesDue, first.CancelNoticesSent));
        Assert.Equal((3, 0), (second.Cancelled, second.CancelNoticesDue));
        await using (var context = db.NewContext())
        {
            var task = await context.Tasks.SingleAsync(t => t.Id == waiting);
            Assert.Equal((UpgradeTaskStatus.Cancelled, "bob"), (task.Status, task.UpdatedBy));
            Assert.NotNull(task.CancelledAt);
        }
        Assert.Equal(3, await _world.CountAsync("ota_task_vin", $"task_id = {sent} AND cancel_notice = 'Due'"));

        await _world.Broker.StartAsync(CancellationToken.None);
        await _world.ResubscribeAsync();
        var run = await _world.Get<TaskPushJob>().RunAsync(CancellationToken.None);
        await _world.Subscriber.WaitForCountAsync(3, NoticeWorld.Patience);

        Assert.Contains("cancel notices: 3 sent", run);
        Assert.All(_world.Subscriber.Received, r => Assert.True(r.Message!.IsCancel));
        Assert.Equal(3, await _world.CountAsync("ota_task_vin", $"task_id = {sent} AND cancel_notice = 'Sent'"));
        // The cancelled task is not pushed, even when its time comes.
        await db.ExecuteAsync($"UPDATE ota_task SET scheduled_at = UTC_TIMESTAMP() WHERE id = {waiting}");
        Assert.Equal(0, (await _world.PushAsync()).Claimed);
        Assert.Equal(0, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {waiting}"));
    }

    [Fact]
    public async Task AVinCancelledWhileItsNoticeIsOnTheWayIsRecordedAsSentAndThenGetsItsCancelNotice()
    {
        var vins = await _world.AddVehiclesAsync('K', 2);
        var taskId = await _world.PublishTaskAsync(vins);
        // The operator cancels while a push chunk holds the VINs: their notices may be on the wire.
        var gate = new TaskCompletionSource();
        var sender = _world.Get<PausingSender>();
        sender.PauseNext(gate.Task);
        var push = _world.PushAsync();
        await sender.Paused.WaitAsync(NoticeWorld.Patience);

        var cancelled = await Operations.CancelVinsAsync(taskId, vins, "carol");
        Assert.Equal((2, 2, 0), (cancelled.Cancelled, cancelled.CancelNoticesDue, cancelled.CancelNoticesSent));

        gate.SetResult();
        await push.WaitAsync(NoticeWorld.Patience);
        await _world.Subscriber.WaitForCountAsync(2, NoticeWorld.Patience);
        Assert.Equal(2, await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Cancelled' AND notified_at IS NOT NULL AND cancel_notice = 'Due' AND lease_until IS NULL"));
        Assert.Equal(2, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId} AND kind = 'Upgrade'"));

        await _world.Get<TaskPushJob>().RunAsync(CancellationToken.None);
        await _world.Subscriber.WaitForCountAsync(4, NoticeWorld.Patience);
        Assert.All(vins, vin => Assert.Equal([false, true], _world.ReceivedFor(vin).Select(n => n.IsCancel).ToArray()));
    }

    [Fact]
    public async Task PushNowMakesAScheduledTaskDueAndStartsAPushRun()
    {
        var vins = await _world.AddVehiclesAsync('L', 2);
        var taskId = await _world.PublishTaskAsync(vins, scheduledAt: DateTime.UtcNow.AddDays(2));
        Assert.Equal(0, (await _world.PushAsync()).Claimed);

        var result = await Operations.PushNowAsync(taskId, "dave");

        Assert.True(result.Rescheduled);
        Assert.NotNull(result.JobId);
        await using (var context = db.NewContext())
        {
            var task = await context.Tasks.SingleAsync(t => t.Id == taskId);
            Assert.True(task.ScheduledAt <= DateTime.UtcNow);
            Assert.Equal("dave", task.UpdatedBy);
        }
        Assert.Equal(2, (await _world.PushAsync()).Sent);
        var draft = await _world.PublishTaskAsync(vins, name: "draft", publish: false);
        var error = await Assert.ThrowsAsync<TaskActionException>(() => Operations.PushNowAsync(draft, "dave"));
        Assert.Equal(TaskActionException.TaskNotPublished, error.Code);
    }
}
