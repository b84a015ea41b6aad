using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.Tests.Push;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Rollouts;

/// <summary>
/// Staged rollouts (SPEC §12) on one instance: the push and the evaluation are run by the test, and the vehicles'
/// results are written as the follow-ups of their status reports write them.
/// </summary>
public sealed class RolloutGates(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() =>
        _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?> { ["Push:ChunkSize"] = "50" });

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<RolloutEvaluationReport> EvaluateAsync() => _world.Get<RolloutEvaluation>().EvaluateAsync(CancellationToken.None);

    private Task<TaskProgressView?> ProgressAsync(long taskId) => _world.Get<RolloutQueries>().GetAsync(taskId);

    private RolloutActions Actions => _world.Get<RolloutActions>();

    /// <summary>Moves <paramref name="count"/> notified VINs of a group to a state, as their status reports' follow-ups would.</summary>
    private Task ReportAsync(long taskId, int group, string state, int count) =>
        db.ExecuteAsync($"UPDATE ota_task_vin SET state = '{state}' WHERE task_id = {taskId} AND rollout_group = {group} AND state = 'Notified' ORDER BY vin LIMIT {count}");

    private Task<long> CountAsync(long taskId, string where) => db.CountAsync("ota_task_vin", $"task_id = {taskId} AND {where}");

    [Fact]
    public async Task GroupsAreFixedAtPublishAndOnlyTheOpenOnesArePushedUntilTheGateOpens()
    {
        var vins = await _world.AddVehiclesAsync('A', 300);
        var plan = RolloutPlan.Parse("""{"groups": [{"name": "canary", "percent": 10, "successThreshold": 90}, {"name": "everyone", "percent": 100}]}""");
        var taskId = await _world.PublishTaskAsync(vins, rollout: plan);

        // The database's assignment is the domain's: CRC-32 of "task:VIN".
        foreach (var (vin, state) in await _world.TaskVinStatesAsync(taskId))
            Assert.Equal(RolloutAssignment.GroupOf(plan, taskId, vin),
                await _world.ScalarAsync<int>($"SELECT rollout_group FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vin}'"));
        var progress = (await ProgressAsync(taskId))!;
        var canary = progress.Groups[0];
        Assert.InRange(canary.Size, 15, 50);
        Assert.Equal(300, canary.Size + progress.Groups[1].Size);
        Assert.Equal(("Open", "Waiting"), (canary.State, progress.Groups[1].State));

        var report = await _world.PushAsync();
        Assert.Equal(canary.Size, report.Sent);
        Assert.Equal(canary.Size, await CountAsync(taskId, "state = 'Notified'"));
        Assert.Equal(300 - canary.Size, await CountAsync(taskId, "state = 'Pending' AND rollout_group = 1"));
        Assert.Equal("Published", (await ProgressAsync(taskId))!.State);

        // 89 % succeeded: the gate stays shut; 90 %: the next group opens and the push sends it.
        var ninety = (int)Math.Ceiling(canary.Size * 0.9);
        await ReportAsync(taskId, 0, "Succeeded", ninety - 1);
        Assert.Equal(0, (await EvaluateAsync()).GroupsOpened);
        Assert.Equal(0, (await _world.PushAsync()).Claimed);
        await ReportAsync(taskId, 0, "Succeeded", 1);
        Assert.Equal(1, (await EvaluateAsync()).GroupsOpened);
        progress = (await ProgressAsync(taskId))!;
        Assert.Equal(("Succeeded", "Open"), (progress.Groups[0].State, progress.Groups[1].State));
        Assert.NotNull(progress.Groups[1].OpenedAt);

        report = await _world.PushAsync();
        Assert.Equal(300 - canary.Size, report.Sent);
        Assert.Contains(taskId, report.ExecutedTasks);
        await _world.Subscriber.WaitForCountAsync(300, NoticeWorld.Patience);
        Assert.Equal(300, _world.Subscriber.Received.Count(r => r.Message!.TaskId == taskId));
        Assert.Equal(1, await db.CountAsync("ota_audit_log", $"entity_id = '{taskId}' AND action = 'OpenGroup'"));
    }

    [Fact]
    public async Task TheNextGroupWaitsForTheSoakTimeAndAnOperatorsApproval()
    {
        var vins = await _world.AddVehiclesAsync('B', 100);
        var taskId = await _world.PublishTaskAsync(vins, rollout: RolloutPlan.Parse(
            """{"groups": [{"name": "pilot", "percent": 20, "soakMinutes": 30, "approval": true}, {"name": "rest", "percent": 100}]}"""));
        await _world.PushAsync();
        var conflict = await Assert.ThrowsAsync<TaskActionException>(() => Actions.ApproveAsync(taskId, "alice"));
        Assert.Equal("TASK_STATE_CONFLICT", conflict.Code);
        Assert.False((await ProgressAsync(taskId))!.AwaitsApproval);

        await ReportAsync(taskId, 0, "Succeeded", 100);
        await EvaluateAsync();
        var progress = (await ProgressAsync(taskId))!;
        Assert.NotNull(progress.Groups[0].ReachedAt);
        Assert.Null(progress.Groups[1].OpenedAt);

        // The soak time passes: still the approval.
        await db.ExecuteAsync($"UPDATE ota_task_rollout_group SET reached_at = reached_at - INTERVAL 31 MINUTE WHERE task_id = {taskId}");
        await EvaluateAsync();
        progress = (await ProgressAsync(taskId))!;
        Assert.Null(progress.Groups[1].OpenedAt);
        Assert.True(progress.AwaitsApproval);
        Assert.Equal("rest", progress.WaitingGroup);

        progress = await Actions.ApproveAsync(taskId, "alice");
        Assert.Equal("alice", progress.Groups[0].ApprovedBy);
        Assert.Equal(1, (await EvaluateAsync()).GroupsOpened);
        Assert.Equal(100 - progress.Groups[0].Size, (await _world.PushAsync()).Sent);
        Assert.Equal(1, await db.CountAsync("ota_audit_log", $"entity_id = '{taskId}' AND action = 'Approve' AND user = 'alice'"));
        conflict = await Assert.ThrowsAsync<TaskActionException>(() => Actions.ApproveAsync(taskId, "alice"));
        Assert.Equal("TASK_STATE_CONFLICT", conflict.Code);
    }

    [Fact]
    public async Task FailuresCrossingTheErrorThresholdPauseTheTaskWithItsReasonUntilAnOperatorResumes()
    {
        var vins = await _world.AddVehiclesAsync('C', 200);
        var taskId = await _world.PublishTaskAsync(vins, rollout: RolloutPlan.Parse(
            """{"groups": [{"name": "canary", "percent": 25, "errorThreshold": 20, "minFinished": 5}, {"name": "everyone", "percent": 100}]}"""));
        await _world.PushAsync();

        await ReportAsync(taskId, 0, "Succeeded", 3);
        await ReportAsync(taskId, 0, "Failed", 1);
        Assert.Equal(0, (await EvaluateAsync()).Paused); // 4 finished: fewer than minFinished
        await ReportAsync(taskId, 0, "Succeeded", 3);
        await ReportAsync(taskId, 0, "Failed", 1);
        Assert.Equal(1, (await EvaluateAsync()).Paused); // 2 of 8 = 25 %

        var progress = (await ProgressAsync(taskId))!;
        Assert.Equal("Paused", progress.State);
        Assert.Equal((PauseReason.ErrorThreshold, "canary"), (progress.Pause!.Code, progress.Pause.Group));
        Assert.Contains("2 of 8 finished", progress.Pause.Detail);
        Assert.Equal("Paused", progress.Groups[0].State);
        Assert.Equal(1, await db.CountAsync("ota_notification", $"task_id = {taskId} AND channel = 'OperationsAssistant'"));
        Assert.Equal(1, await db.CountAsync("ota_audit_log", $"entity_id = '{taskId}' AND action = 'Pause' AND user = 'rollout'"));
        // Nothing is sent while paused, not even compensation's resends.
        await db.ExecuteAsync($"UPDATE ota_task_vin SET is_resend = 1 WHERE task_id = {taskId} AND state = 'Failed'");
        var compensation = await _world.Get<TaskCompensationJob>().CompensateAsync(CancellationToken.None);
        Assert.Equal(0, compensation.Resent);
        Assert.Equal(2, await CountAsync(taskId, "state = 'Failed' AND is_resend = 1"));
        await Assert.ThrowsAsync<TaskActionException>(() => Actions.PauseAsync(taskId, "bob"));

        progress = await Actions.ResumeAsync(taskId, "bob");
        Assert.Equal("Published", progress.State);
        Assert.Null(progress.Pause);
        // The failures it was paused for are seen; another one pauses it again.
        Assert.Equal(0, (await EvaluateAsync()).Paused);
        await ReportAsync(taskId, 0, "Failed", 1);
        Assert.Equal(1, (await EvaluateAsync()).Paused);
        Assert.Contains("3 of 9 finished", (await ProgressAsync(taskId))!.Pause!.Detail);
        Assert.Equal(1, await db.CountAsync("ota_audit_log", $"entity_id = '{taskId}' AND action = 'Resume' AND user = 'bob'"));
    }

    [Fact]
    public async Task ANotifiedVinWithoutAFinalStatusAfterTheTimeoutTimesOutAndIsNotResent()
    {
        var vins = await _world.AddVehiclesAsync('D', 40);
        var taskId = await _world.PublishTaskAsync(vins, rollout: RolloutPlan.Parse(
            """{"groups": [{"name": "all", "percent": 100, "errorThreshold": 50, "minFinished": 10}], "executionTimeoutMinutes": 60}"""));
        await _world.PushAsync();
        await ReportAsync(taskId, 0, "Succeeded", 20);
        await ReportAsync(taskId, 0, "Downloading", 5);
        await db.ExecuteAsync(
            $"UPDATE ota_task_vin SET notified_at = notified_at - INTERVAL 61 MINUTE WHERE task_id = {taskId} AND state IN ('Notified', 'Downloading') ORDER BY state, vin LIMIT 12");

        var report = await EvaluateAsync();
        Assert.Equal(12, report.TimedOut);
        Assert.Equal(12, await CountAsync(taskId, "state = 'TimedOut'"));
        Assert.Equal(12, await CountAsync(taskId, "state = 'TimedOut' AND updated_by = 'rollout'"));
        Assert.Equal(0, await CountAsync(taskId, "state = 'TimedOut' AND close_reason NOT LIKE 'EXECUTION_TIMEOUT%'"));
        var progress = (await ProgressAsync(taskId))!;
        Assert.Equal(12, progress.Counts["TimedOut"]);
        Assert.Equal(12, progress.Groups[0].Failed);

        await db.ExecuteAsync($"UPDATE ota_task_vin SET is_resend = 1 WHERE task_id = {taskId} AND state = 'TimedOut'");
        var compensation = await _world.Get<TaskCompensationJob>().CompensateAsync(CancellationToken.None);
        Assert.Equal(0, compensation.Resent);
        Assert.Equal(12, await CountAsync(taskId, "state = 'TimedOut' AND is_resend = 0"));
    }

    [Fact]
    public async Task StopCancelsWhatWasNotNotifiedAndSendsCancelNoticesToTheNotified()
    {
        var vins = await _world.AddVehiclesAsync('E', 100);
        var taskId = await _world.PublishTaskAsync(vins, rollout: RolloutPlan.Parse(
            """{"groups": [{"name": "canary", "percent": 30}, {"name": "everyone", "percent": 100}]}"""));
        var sent = (await _world.PushAsync()).Sent;
        await ReportAsync(taskId, 0, "Upgrading", 2);
        await ReportAsync(taskId, 0, "Failed", 3);

        var progress = await Actions.StopAsync(taskId, "carol");
        Assert.Equal("Stopped", progress.State);
        Assert.Equal(2, await CountAsync(taskId, "state = 'Upgrading'"));
        Assert.Equal(3, progress.Groups[0].Failed);
        Assert.Equal(95, await CountAsync(taskId, "state = 'Cancelled'"));
        Assert.Equal(sent - 5, await CountAsync(taskId, "cancel_notice = 'Sent'"));
        await _world.Subscriber.WaitForCountAsync(_world.Subscriber.Count, NoticeWorld.Patience);
        await Eventually.WaitUntilAsync(() => Task.FromResult(_world.Subscriber.Received.Count(r => r.Message!.TaskId == taskId && r.Message.IsCancel) == sent - 5),
            NoticeWorld.Patience, "the cancel notices");
        Assert.Equal("TASK_STATE_CONFLICT", (await Assert.ThrowsAsync<TaskActionException>(() => Actions.ResumeAsync(taskId, "carol"))).Code);
        Assert.Equal("TASK_STATE_CONFLICT", (await Assert.ThrowsAsync<TaskActionException>(() => Actions.StopAsync(taskId, "carol"))).Code);
        Assert.Equal(0, (await _world.PushAsync()).Claimed);
        Assert.Equal(1, await db.CountAsync("ota_audit_log", $"entity_id = '{taskId}' AND action = 'Stop' AND user = 'carol'"));
    }

    [Fact]
    public async Task RevokingThePackagePausesEveryTaskThatUsesItAndSendsCancelNotices()
    {
        var vins = await _world.AddVehiclesAsync('F', 60);
        var sent = await _world.PublishTaskAsync(vins[..30], name: "sent");
        await _world.PushAsync();
        await ReportAsync(sent, 0, "Upgrading", 5);
        var waiting = await _world.PublishTaskAsync(vins[30..], name: "waiting", scheduledAt: DateTime.UtcNow.AddHours(1));
        try
        {
            await db.ExecuteAsync("UPDATE ota_package_total_full SET status = 'Revoked' WHERE version = '3.1.5'");
            var report = await EvaluateAsync();
            Assert.True(report.Revoked >= 2, $"{report.Revoked} tasks paused for the revoked package");

            foreach (var taskId in new[] { sent, waiting })
            {
                var progress = (await ProgressAsync(taskId))!;
                Assert.Equal("Paused", progress.State);
                Assert.Equal(PauseReason.PackageRevoked, progress.Pause!.Code);
            }
            Assert.Equal(25, await CountAsync(sent, "state = 'Cancelled' AND cancel_notice = 'Sent'"));
            Assert.Equal(5, await CountAsync(sent, "state = 'Upgrading'"));
            Assert.Equal(30, await CountAsync(waiting, "state = 'Pending'"));
            await Eventually.WaitUntilAsync(() => Task.FromResult(_world.Subscriber.Received.Count(r => r.Message!.TaskId == sent && r.Message.IsCancel) == 25),
                NoticeWorld.Patience, "the cancel notices");
            Assert.Equal(0, (await EvaluateAsync()).Paused);
        }
        finally
        {
            await db.ExecuteAsync("UPDATE ota_package_total_full SET status = 'Released' WHERE version = '3.1.5'");
            await db.ExecuteAsync($"UPDATE ota_task SET status = 'Cancelled' WHERE id IN ({sent}, {waiting})");
        }
    }

    [Fact]
    public async Task AnOperatorPublishingAPlanWhoseNamedVinIsNotInTheTaskIsRefusedAndTheTaskStaysADraft()
    {
        var vins = await _world.AddVehiclesAsync('G', 10);
        var stranger = TestFleet.TestVin(99, 'G');
        var taskId = await _world.PublishTaskAsync(vins, publish: false, rollout: RolloutPlan.Parse(
            $$"""{"groups": [{"name": "pilot", "percent": 10, "vins": ["{{vins[0]}}", "{{stranger}}"]}, {"name": "rest", "percent": 100}]}"""));
        var refused = await Assert.ThrowsAsync<RolloutPlanException>(() => _world.Get<TaskPublisher>().PublishAsync(taskId, null, "alice"));
        Assert.Equal("ROLLOUT_VIN_NOT_IN_TASK", refused.Code);
        Assert.Contains(stranger, refused.Message);
        Assert.Equal("Draft", (await ProgressAsync(taskId))!.State);
    }

    [Fact]
    public async Task NamedVinsAreInTheirGroupAndATaskWithoutAPlanHasNoGroups()
    {
        var vins = await _world.AddVehiclesAsync('H', 50);
        var taskId = await _world.PublishTaskAsync(vins, rollout: RolloutPlan.Parse(
            $$"""{"groups": [{"name": "pilot", "percent": 0.01, "vins": ["{{vins[7]}}", "{{vins[9]}}"]}, {"name": "rest", "percent": 100}]}"""));
        var report = await _world.PushAsync();
        Assert.True(report.Sent >= 2);
        Assert.Equal(2, await CountAsync(taskId, $"rollout_group = 0 AND vin IN ('{vins[7]}', '{vins[9]}') AND state = 'Notified'"));

        var plain = await _world.PublishTaskAsync((await _world.AddVehiclesAsync('K', 5)), name: "plain");
        var progress = (await ProgressAsync(plain))!;
        Assert.Empty(progress.Groups);
        Assert.Null(progress.Rollout);
        Assert.Equal(5, (await _world.PushAsync()).Sent);
    }
}
