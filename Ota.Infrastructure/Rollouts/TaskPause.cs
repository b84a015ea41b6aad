using Microsoft.Extensions.Logging;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Adapters;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Rollouts;

/// <summary>
/// Pausing a task, the one way every pause goes (an operator, an error threshold, a revoked package). The status
/// update takes the task row's exclusive lock, which waits for every notice batch in flight (each holds a shared lock
/// on the row from its check to the broker's acknowledgement, the push's NoticeChunkProcessor); the pause is
/// stamped once it has the lock, so no notice of the task leaves after the decision, from any instance.
/// </summary>
public sealed partial class TaskPause(MySqlConnectionFactory connections, IChatWebhook chat, TimeProvider clock, ILogger<TaskPause> logger)
{
    private static readonly string Pausable = Sql.List(TaskLifecycle.From(TaskChange.Pause));

    /// <summary>Pauses the task if it may be paused; returns when the pause took effect, null when the task was not pausable.</summary>
    public async Task<DateTime?> PauseAsync(long taskId, PauseReason reason, string by, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var pausedAt = await Sql.InTransactionAsync(connection, async tx =>
        {
            var changed = await Sql.ExecAsync(connection, tx,
                $"""
                UPDATE ota_task SET status = {Sql.Text(TaskLifecycle.To(TaskChange.Pause))}, updated_at = @now, updated_by = @by
                WHERE id = @task AND status IN {Pausable}
                """, ct, ("@task", taskId), ("@now", Now()), ("@by", by));
            if (changed == 0) return (DateTime?)null;
            // Stamped after the lock was granted: every batch that got past its check before has been acknowledged.
            var at = Now();
            await Sql.ExecAsync(connection, tx,
                """
                INSERT INTO ota_task_rollout (task_id, plan, opened_groups, pause_code, pause_group, pause_detail, paused_at, paused_by)
                VALUES (@task, NULL, 0, @code, @group, @detail, @at, @by)
                ON DUPLICATE KEY UPDATE pause_code = @code, pause_group = @group, pause_detail = @detail, paused_at = @at, paused_by = @by
                """, ct, ("@task", taskId), ("@code", reason.Code), ("@group", reason.Group), ("@detail", Cut(reason.Detail, 1024)),
                ("@at", at), ("@by", by));
            return at;
        }, ct);
        if (pausedAt is null) return null;
        LogPaused(taskId, reason.Code, reason.Detail);
        if (reason.Code != PauseReason.Operator) await MessageAssistantAsync(connection, taskId, reason);
        return pausedAt;
    }

    /// <summary>Tells the operations assistant, and keeps the message (and whether it was delivered) in the console's notifications.</summary>
    private async Task MessageAssistantAsync(MySqlConnector.MySqlConnection connection, long taskId, PauseReason reason)
    {
        var text = $"OTA task {taskId} paused automatically ({reason.Code}{(reason.Group is null ? "" : $", group '{reason.Group}'")}): " +
                   $"{reason.Detail} No notice of it leaves until an operator resumes or stops it.";
        var result = await chat.SendTextAsync(ChatGroup.OperationsAssistant, text, CancellationToken.None);
        if (result.Outcome == AdapterOutcome.Failed) LogNotMessaged(taskId, result.Error ?? "");
        var status = result.Outcome switch
        {
            AdapterOutcome.Delivered => NotificationDelivery.Delivered,
            AdapterOutcome.Failed => NotificationDelivery.Failed,
            _ => NotificationDelivery.Local,
        };
        var now = Now();
        await Sql.ExecAsync(connection, null,
            """
            INSERT INTO ota_notification (channel, title, text, vin, task_id, delivery_status, attempts, last_error, created_at, delivered_at, is_read)
            VALUES (@channel, @title, @text, NULL, @task, @status, 1, @error, @now, @delivered, 0)
            """, CancellationToken.None, ("@channel", nameof(ChatGroup.OperationsAssistant)), ("@title", $"Task {taskId} paused: {reason.Code}"),
            ("@text", text), ("@task", taskId), ("@status", status), ("@error", result.Error), ("@now", now),
            ("@delivered", result.IsDelivered ? now : null));
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} paused ({Code}): {Detail}")]
    private partial void LogPaused(long taskId, string code, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Task {TaskId} paused, but the operations assistant was not messaged: {Result}")]
    private partial void LogNotMessaged(long taskId, string result);
}
