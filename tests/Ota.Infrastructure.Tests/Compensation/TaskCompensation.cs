using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Tests.Push;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Compensation;

/// <summary>The compensation job (SPEC §6): resends, closes at the maximum or when no longer valid, sends what executed tasks never sent.</summary>
public sealed class TaskCompensation(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() =>
        _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?> { ["Compensation:MaxResendCount"] = "3" });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<CompensationReport> CompensateAsync() => _world.Get<TaskCompensationJob>().CompensateAsync(CancellationToken.None);

    /// <summary>A pushed task whose VINs' downloads failed and were flagged for resending, with the resend counts given.</summary>
    private async Task<(long TaskId, string[] Vins)> FailedDownloadsAsync(char letter, params int[] resendCounts)
    {
        var vins = await _world.AddVehiclesAsync(letter, resendCounts.Length);
        var taskId = await _world.PublishTaskAsync(vins);
        await _world.PushAsync();
        for (var i = 0; i < vins.Length; i++)
            await db.ExecuteAsync($"""
                UPDATE ota_task_vin SET state = 'Failed', error_type = 'DownloadFailed', is_resend = 1, resend_count = {resendCounts[i]}
                WHERE task_id = {taskId} AND vin = '{vins[i]}'
                """);
        return (taskId, vins);
    }

    [Fact]
    public async Task ResendsAFlaggedVinAndCountsIt()
    {
        var (taskId, vins) = await FailedDownloadsAsync('M', 0, 2);
        await _world.Subscriber.WaitForCountAsync(2, NoticeWorld.Patience);

        var report = await CompensateAsync();
        await _world.Subscriber.WaitForCountAsync(4, NoticeWorld.Patience);

        Assert.Equal(2, report.Resent);
        await using var context = db.NewContext();
        var rows = await context.TaskVins.Where(v => v.TaskId == taskId).OrderBy(v => v.Vin).ToListAsync();
        Assert.Equal([(1, false, TaskVinState.Notified), (3, false, TaskVinState.Notified)],
            rows.Select(r => (r.ResendCount, r.IsResend, r.State)).ToArray());
        Assert.Equal(["0", "1"], _world.ReceivedFor(vins[0]).Select(n => n.MessageId[^1..]).ToArray());
        Assert.Equal($"{taskId}-{vins[1]}-3", _world.ReceivedFor(vins[1]).Last().MessageId);
        var resend = await context.DownloadNotices.SingleAsync(n => n.TaskId == taskId && n.Vin == vins[0] && n.ResendCount == 1);
        Assert.Equal(($"{taskId}-{vins[0]}-1", NoticeKind.Upgrade), (resend.MessageId, resend.Kind));
        Assert.Equal($"{taskId}-{vins[0]}-1", rows[0].MessageId);

        // Flags are cleared: the next run sends nothing.
        var again = await CompensateAsync();
        Assert.Equal(0, again.Resent);
    }

    [Fact]
    public async Task ARunForOneTaskResendsThatTasksVinsAndLeavesTheOthersFlagged()
    {
        var (mine, _) = await FailedDownloadsAsync('U', 0, 3);
        var (other, _) = await FailedDownloadsAsync('V', 0);

        var report = await _world.Get<TaskCompensationJob>().CompensateAsync(CancellationToken.None, onlyTask: mine);

        Assert.Equal((1, 1), (report.Resent, report.ClosedAtMaximum));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {mine} AND state = 'Notified' AND resend_count = 1 AND is_resend = 0"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {mine} AND state = 'Closed'"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {other} AND state = 'Failed' AND is_resend = 1 AND resend_count = 0"));
    }

    [Fact]
    public async Task ClosesAVinThatReachedTheMaximumWithTheReasonInsteadOfResendingIt()
    {
        var (taskId, vins) = await FailedDownloadsAsync('N', 3);
        await _world.Subscriber.WaitForCountAsync(1, NoticeWorld.Patience);
        var before = _world.Subscriber.Count;

        var report = await CompensateAsync();

        Assert.Equal((1, 0), (report.ClosedAtMaximum, report.Resent));
        await using var context = db.NewContext();
        var row = await context.TaskVins.SingleAsync(v => v.TaskId == taskId && v.Vin == vins[0]);
        Assert.Equal((TaskVinState.Closed, false, 3), (row.State, row.IsResend, row.ResendCount));
        Assert.Equal("RESEND_LIMIT_REACHED: resent 3 times, the maximum is 3", row.CloseReason);
        Assert.Equal("compensation", row.UpdatedBy);
        Assert.Equal(0, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId} AND resend_count > 0"));
        Assert.Equal(before, _world.Subscriber.Count);
    }

    [Fact]
    public async Task DoesNotResendToAVehicleBlacklistedSinceAndRecordsWhy()
    {
        var (taskId, vins) = await FailedDownloadsAsync('P', 1, 0);
        await _world.Subscriber.WaitForCountAsync(2, NoticeWorld.Patience);
        await _world.Fleet.AddToListAsync(VehicleListKind.Blacklist, vins[0]);

        var report = await CompensateAsync();
        await _world.Subscriber.WaitForCountAsync(3, NoticeWorld.Patience);

        Assert.Equal((1, 1), (report.Resent, report.NotResent));
        Assert.Single(_world.ReceivedFor(vins[0]));
        await using var context = db.NewContext();
        var row = await context.TaskVins.SingleAsync(v => v.TaskId == taskId && v.Vin == vins[0]);
        Assert.Equal((TaskVinState.Closed, false, 1, "BLACKLISTED"), (row.State, row.IsResend, row.ResendCount, row.VerdictCodes));
        Assert.Equal("Not resent: the vehicle no longer qualifies (BLACKLISTED)", row.CloseReason);
    }

    [Fact]
    public async Task SendsTheVinsOfExecutedTasksThatWereNeverNotified()
    {
        var vins = await _world.AddVehiclesAsync('R', 3);
        var taskId = await _world.PublishTaskAsync(vins);
        // Marked executed with VINs still pending: how the original job left VINs whose send failed.
        await db.ExecuteAsync($"UPDATE ota_task SET status = 'Executed', executed_at = UTC_TIMESTAMP() WHERE id = {taskId}");
        Assert.Equal(0, (await _world.PushAsync()).Claimed);

        var report = await CompensateAsync();
        await _world.Subscriber.WaitForCountAsync(3, NoticeWorld.Patience);

        Assert.Equal(3, report.NeverNotifiedSent);
        Assert.Equal(3, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified' AND resend_count = 0"));
        Assert.Equal(3, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
    }

    [Fact]
    public async Task AResendTheBrokerDoesNotTakeStaysFlaggedAndGoesOutWithTheNextRun()
    {
        var (taskId, vins) = await FailedDownloadsAsync('S', 0);
        await _world.Subscriber.WaitForCountAsync(1, NoticeWorld.Patience);
        await _world.Broker.StopAsync(CancellationToken.None);

        var down = await CompensateAsync();

        Assert.Equal((0, 1), (down.Resent, down.NotSent));
        Assert.NotNull(down.StoppedBecause);
        await using (var context = db.NewContext())
        {
            var row = await context.TaskVins.SingleAsync(v => v.TaskId == taskId && v.Vin == vins[0]);
            Assert.Equal((TaskVinState.Failed, true, 0), (row.State, row.IsResend, row.ResendCount));
        }
        Assert.Equal(0, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId} AND resend_count > 0"));

        await _world.Broker.StartAsync(CancellationToken.None);
        await _world.ResubscribeAsync();
        var up = await CompensateAsync();
        await _world.Subscriber.WaitForCountAsync(1, NoticeWorld.Patience);

        Assert.Equal(1, up.Resent);
        Assert.Equal([$"{taskId}-{vins[0]}-1"], _world.ReceivedFor(vins[0]).Select(n => n.MessageId).ToArray());
        Assert.Equal(1, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId} AND resend_count = 1"));
    }
}
