using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;

namespace Ota.Infrastructure.Rollouts;

/// <summary>
/// The operator's rollout actions (SPEC §12), from the console and the open API: pause, resume, approve the next group,
/// stop. Each answers the task's progress as it is after the action, is recorded in the audit log with who did it, and
/// throws TASK_STATE_CONFLICT (409) when it does not apply to the task as it stands.
/// </summary>
public sealed class RolloutActions(MySqlConnectionFactory connections, TaskPause pause, TaskOperations operations, RolloutQueries queries)
{
    public async Task<TaskProgressView> PauseAsync(long taskId, string user, CancellationToken ct = default)
    {
        var task = await ReadAsync(taskId, ct);
        var pausedAt = await pause.PauseAsync(taskId, new PauseReason(PauseReason.Operator, null, $"Paused by {user}."), user, ct)
            ?? throw Conflict(task, TaskChange.Pause);
        await operations.AuditAsync(user, "Pause", taskId, new { status = task.State },
            new { status = nameof(UpgradeTaskStatus.Paused), pausedAt }, operations.Now(), ct);
        return await ReadAsync(taskId, ct);
    }

    /// <summary>
    /// Back to sending. The failures that paused it are taken as seen: a group's error threshold pauses the task again
    /// only when another VIN of the group fails.
    /// </summary>
    public async Task<TaskProgressView> ResumeAsync(long taskId, string user, CancellationToken ct = default)
    {
        var task = await ReadAsync(taskId, ct);
        var now = operations.Now();
        await using var connection = await connections.OpenAsync(ct);
        var resumed = await Sql.InTransactionAsync(connection, async tx =>
        {
            var changed = await Sql.ExecAsync(connection, tx,
                $"""
                UPDATE ota_task SET status = {Sql.Text(TaskLifecycle.To(TaskChange.Resume))}, updated_at = @now, updated_by = @user
                WHERE id = @task AND status IN {Sql.List(TaskLifecycle.From(TaskChange.Resume))}
                """, ct, ("@task", taskId), ("@now", now), ("@user", user));
            if (changed == 0) return false;
            await Sql.ExecAsync(connection, tx,
                "UPDATE ota_task_rollout SET pause_code = NULL, pause_group = NULL, pause_detail = NULL, paused_at = NULL, paused_by = NULL WHERE task_id = @task",
                ct, ("@task", taskId));
            foreach (var (group, index) in task.Groups.Select((g, i) => (g, i)))
                await Sql.ExecAsync(connection, tx,
                    "UPDATE ota_task_rollout_group SET failed_at_resume = @failed WHERE task_id = @task AND group_index = @index",
                    ct, ("@failed", group.Failed), ("@task", taskId), ("@index", index));
            return true;
        }, ct);
        if (!resumed) throw Conflict(task, TaskChange.Resume);
        var jobId = operations.EnqueuePush();
        await operations.AuditAsync(user, "Resume", taskId, new { status = task.State, pause = task.Pause },
            new { status = nameof(UpgradeTaskStatus.Published), jobId }, now, ct);
        return await ReadAsync(taskId, ct);
    }

    /// <summary>Approves the group waiting for approval: the next group opens once the gate's other conditions hold too.</summary>
    public async Task<TaskProgressView> ApproveAsync(long taskId, string user, CancellationToken ct = default)
    {
        var task = await ReadAsync(taskId, ct);
        if (!task.AwaitsApproval)
            throw new TaskActionException(TaskActionException.TaskStateConflict,
                $"Task {taskId} ({task.State}) has no group waiting for approval.");
        var index = task.Groups.ToList().FindLastIndex(g => g.OpenedAt is not null);
        var now = operations.Now();
        await using var connection = await connections.OpenAsync(ct);
        var approved = await Sql.ExecAsync(connection, null,
            "UPDATE ota_task_rollout_group SET approved_at = @now, approved_by = @user WHERE task_id = @task AND group_index = @index AND approved_at IS NULL",
            ct, ("@now", now), ("@user", user), ("@task", taskId), ("@index", index));
        if (approved == 0) throw new TaskActionException(TaskActionException.TaskStateConflict, $"Task {taskId}: group '{task.Groups[index].Name}' was approved already.");
        await operations.AuditAsync(user, "Approve", taskId, null,
            new { group = task.Groups[index].Name, next = task.WaitingGroup }, now, ct);
        return await ReadAsync(taskId, ct);
    }

    /// <summary>
    /// Stops the task for good: every VIN not notified is cancelled, and notified VINs that have not started get a cancel
    /// notice. Failed VINs stay failed (no resend: the task no longer runs), so the counts still say why it was stopped.
    /// </summary>
    public async Task<TaskProgressView> StopAsync(long taskId, string user, CancellationToken ct = default)
    {
        var task = await ReadAsync(taskId, ct);
        var now = operations.Now();
        await using var connection = await connections.OpenAsync(ct);
        // The status first, under the row's lock that notice batches in flight share: none leaves after it.
        var stopped = await Sql.ExecAsync(connection, null,
            $"""
            UPDATE ota_task SET status = {Sql.Text(TaskLifecycle.To(TaskChange.Stop))}, updated_at = @now, updated_by = @user
            WHERE id = @task AND status IN {Sql.List(TaskLifecycle.From(TaskChange.Stop))}
            """, ct, ("@task", taskId), ("@now", now), ("@user", user));
        if (stopped == 0) throw Conflict(task, TaskChange.Stop);
        var (due, cancelled) = await Sql.InTransactionAsync(connection, tx =>
            TaskOperations.CancelRowsAsync(connection, tx, taskId, null, user, "the task was stopped", now, ct, keepFailed: true), ct);
        var sent = await operations.SendCancelNoticesAsync(taskId, due, ct);
        await operations.AuditAsync(user, "Stop", taskId, new { status = task.State },
            new { status = nameof(UpgradeTaskStatus.Stopped), cancelledVins = cancelled, cancelNoticesDue = due, cancelNoticesSent = sent }, now, ct);
        return await ReadAsync(taskId, ct);
    }

    private async Task<TaskProgressView> ReadAsync(long taskId, CancellationToken ct) =>
        await queries.GetAsync(taskId, ct) ?? throw new TaskActionException(TaskActionException.TaskNotFound, $"Task {taskId} does not exist.");

    private static TaskActionException Conflict(TaskProgressView task, TaskChange change) =>
        new(TaskActionException.TaskStateConflict,
            $"{change} does not apply to task {task.TaskId}: it is {task.State}, and only {string.Join(", ", TaskLifecycle.From(change).Order())} tasks can be {Past(change)}.");

    private static string Past(TaskChange change) => change switch
    {
        TaskChange.Pause => "paused",
        TaskChange.Resume => "resumed",
        TaskChange.Stop => "stopped",
        _ => change.ToString().ToLowerInvariant() + "ed",
    };
}
