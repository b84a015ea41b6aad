using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Push;

/// <summary>Task-level queries of the push: which tasks are due, in what order, and marking a task executed.</summary>
public sealed class PushTasks(MySqlConnectionFactory connections, TimeProvider clock)
{
    /// <summary>Published tasks whose scheduled time has come, highest priority first, then the earliest scheduled.</summary>
    public async Task<IReadOnlyList<long>> DueAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await Sql.IdsAsync(connection, null,
            $"""
            SELECT id FROM ota_task
            WHERE status IN {Sql.List(TaskLifecycle.Sending)} AND (scheduled_at IS NULL OR scheduled_at <= @now)
            ORDER BY priority DESC, scheduled_at, id
            """, ct, ("@now", clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>
    /// Marks a published task executed when none of its task-VINs is pending (claimed ones count as pending until their
    /// chunk is recorded). The check is a plain read, not a locking one, so it never holds up (or deadlocks with) the
    /// chunks being recorded; that is safe because a published task's VINs never become pending again, and the update
    /// itself is conditional, so two instances finishing together mark the task once.
    /// </summary>
    public async Task<bool> MarkExecutedIfDoneAsync(long taskId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var pending = await Sql.ScalarAsync(connection, null,
            $"SELECT EXISTS (SELECT 1 FROM ota_task_vin WHERE task_id = @task AND state IN {Sql.List(TaskVinLifecycle.Claimable)} AND is_delete = 0)",
            ct, ("@task", taskId));
        if (Convert.ToInt64(pending) != 0) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        // UpgradeTask.MarkExecuted as one conditional statement.
        return await Sql.ExecAsync(connection, null,
            $"""
            UPDATE ota_task SET status = {Sql.Text(TaskLifecycle.To(TaskChange.Execute))}, executed_at = @now, updated_at = @now, updated_by = 'push'
            WHERE id = @task AND status IN {Sql.List(TaskLifecycle.From(TaskChange.Execute))}
            """, ct, ("@task", taskId), ("@now", now)) == 1;
    }

    /// <summary>Due tasks that still have pending task-VINs (claimable or in flight); marks the others executed.</summary>
    public async Task<(int WithPending, int Executed)> SurveyAsync(CancellationToken ct)
    {
        int withPending = 0, executed = 0;
        foreach (var taskId in await DueAsync(ct))
        {
            if (await MarkExecutedIfDoneAsync(taskId, ct)) executed++;
            else withPending++;
        }
        return (withPending, executed);
    }
}
