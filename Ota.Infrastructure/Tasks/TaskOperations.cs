using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Push;

namespace Ota.Infrastructure.Tasks;

/// <summary>An operator action that cannot be done, with a stable code and words for the operator.</summary>
public sealed class TaskActionException(string code, string message) : Exception(message)
{
    public const string TaskNotFound = "TASK_NOT_FOUND";
    public const string TaskNotPublished = "TASK_NOT_PUBLISHED";
    /// <summary>The action does not apply to the task as it stands (SPEC §12: 409).</summary>
    public const string TaskStateConflict = "TASK_STATE_CONFLICT";
    /// <summary>A priority outside the allowed range (400).</summary>
    public const string PriorityInvalid = "PRIORITY_INVALID";

    public string Code { get; } = code;
}

/// <summary>A VIN an operator asked to cancel that was left as it was, and why.</summary>
/// <param name="Code">VIN_MALFORMED, TASK_VIN_NOT_FOUND (not in the task), or VIN_NOT_CANCELLABLE (its state says why).</param>
public sealed record VinNotCancelled(string Entry, string Code, string Detail);

/// <summary>What a cancellation did.</summary>
/// <param name="Cancelled">Task-VINs now Cancelled.</param>
/// <param name="CancelNoticesDue">Of those, the ones whose vehicle was (or may have been) told about the task and is owed a cancel notice.</param>
/// <param name="CancelNoticesSent">Cancel notices the broker took right away; the rest go out with the next push run.</param>
public sealed record CancellationResult(long TaskId, int Cancelled, int CancelNoticesDue, int CancelNoticesSent, IReadOnlyList<VinNotCancelled> NotCancelled);

/// <param name="Rescheduled">The task was scheduled later and now is due.</param>
/// <param name="JobId">The Hangfire push run started; null when the job storage (Redis) cannot be reached: the recurring run sends the task when it is back.</param>
public sealed record PushNowResult(long TaskId, bool Rescheduled, string? JobId);

/// <summary>
/// What operators do to running tasks from the console: cancel a task or some of its VINs (a vehicle already told about
/// the task gets a cancel notice), push a task now, run compensation now. Each action records who did it and when on
/// the rows it changes and in the audit log.
/// </summary>
public sealed class TaskOperations(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, CancelNotices cancelNotices,
    IBackgroundJobClient jobs, TimeProvider clock)
{
    private static readonly string Cancellable = Sql.List(TaskVinLifecycle.Cancellable);

    /// <summary>Cancels the task and every VIN of it that has not started upgrading.</summary>
    public async Task<CancellationResult> CancelTaskAsync(long taskId, string user, string? reason = null, CancellationToken ct = default)
    {
        var now = Now();
        string before;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, ct) ?? throw NotFound(taskId);
            before = task.Status.ToString();
            if (task.Status != UpgradeTaskStatus.Cancelled && !TaskLifecycle.Allows(TaskChange.Cancel, task.Status))
                throw new TaskActionException(TaskActionException.TaskStateConflict,
                    $"Task {taskId} is {task.Status}; only {string.Join(", ", TaskLifecycle.From(TaskChange.Cancel).Order())} tasks can be cancelled.");
            task.Cancel(now);
            task.UpdatedBy = user;
            task.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
        }
        // The task's status went first: the push claims only published (or executed) tasks' VINs from now on, and a
        // chunk already in flight is handled by marking its VINs as owed a cancel notice.
        await using var connection = await connections.OpenAsync(ct);
        var (due, cancelled) = await Sql.InTransactionAsync(connection, tx => CancelRowsAsync(connection, tx, taskId, null, user, reason, now, ct), ct);
        var sent = await SendCancelNoticesAsync(taskId, due, ct);
        await AuditAsync(user, "CancelTask", taskId, new { status = before },
            new { status = nameof(UpgradeTaskStatus.Cancelled), reason, cancelledVins = cancelled, cancelNoticesDue = due, cancelNoticesSent = sent }, now, ct);
        return new CancellationResult(taskId, cancelled, due, sent, []);
    }

    /// <summary>Cancels the given VINs of a task (those that have not started upgrading); says why any other was left alone.</summary>
    public async Task<CancellationResult> CancelVinsAsync(long taskId, IEnumerable<string> vins, string user, string? reason = null,
        CancellationToken ct = default)
    {
        var now = Now();
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.Tasks.AnyAsync(t => t.Id == taskId, ct)) throw NotFound(taskId);
        }
        var refused = new List<VinNotCancelled>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in vins)
        {
            if (Vin.Normalize(entry) is { } vin) wanted.Add(vin);
            else refused.Add(new VinNotCancelled(entry, ReasonCodes.VinMalformed, "not a VIN"));
        }

        await using var connection = await connections.OpenAsync(ct);
        await Sql.CreateVinTableAsync(connection, "tmp_cancel_vins", withText: false, ct);
        var malformed = refused.Count;
        var (due, cancelled) = await Sql.InTransactionAsync(connection, async tx =>
        {
            // A deadlock retries the whole transaction: what it found the last time is read again.
            refused.RemoveRange(malformed, refused.Count - malformed);
            await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_cancel_vins", ct);
            await BulkLoader.LoadVinsAsync(connection, tx, "tmp_cancel_vins", wanted, ct);
            // Read (and lock) what cannot be cancelled first, so the answer matches what the updates below do.
            await using (var command = Sql.Command(connection, tx,
                $"""
                SELECT w.vin, tv.state, tv.is_delete FROM tmp_cancel_vins w
                LEFT JOIN ota_task_vin tv ON tv.task_id = @task AND tv.vin = w.vin
                WHERE tv.vin IS NULL OR tv.is_delete = 1 OR tv.state NOT IN {Cancellable}
                ORDER BY w.vin
                FOR UPDATE
                """, ("@task", taskId)))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    var vin = reader.GetString(0);
                    refused.Add(reader.IsDBNull(1)
                        ? new VinNotCancelled(vin, "TASK_VIN_NOT_FOUND", $"not in task {taskId}")
                        : new VinNotCancelled(vin, "VIN_NOT_CANCELLABLE", Enum.Parse<TaskVinState>(reader.GetString(1)) switch
                        {
                            TaskVinState.Upgrading => "the vehicle is already upgrading",
                            TaskVinState.Cancelled => "already cancelled",
                            TaskVinState.Superseded => "superseded by a newer task",
                            var state when reader.GetBoolean(2) => $"removed from the task ({state})",
                            var state => $"already finished ({state})",
                        }));
                }
            }
            return await CancelRowsAsync(connection, tx, taskId, "tmp_cancel_vins", user, reason, now, ct);
        }, ct);
        var sent = await SendCancelNoticesAsync(taskId, due, ct);
        await AuditAsync(user, "CancelVins", taskId, null,
            new
            {
                reason, vins = wanted.Order().ToArray(), cancelledVins = cancelled, cancelNoticesDue = due, cancelNoticesSent = sent,
                notCancelled = refused.Select(r => $"{r.Entry}: {r.Code}").ToArray()
            }, now, ct);
        return new CancellationResult(taskId, cancelled, due, sent, refused);
    }

    /// <summary>
    /// Sends a published task without waiting: a task scheduled later becomes due now, and a push run starts at once
    /// (it sends the due tasks by priority, this one among them).
    /// </summary>
    public async Task<PushNowResult> PushNowAsync(long taskId, string user, CancellationToken ct = default)
    {
        var now = Now();
        bool rescheduled;
        DateTime? scheduledBefore;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, ct) ?? throw NotFound(taskId);
            if (task.Status != UpgradeTaskStatus.Published)
                throw new TaskActionException(TaskActionException.TaskNotPublished,
                    $"Task {taskId} is {task.Status}: only a published task can be pushed.");
            scheduledBefore = task.ScheduledAt;
            rescheduled = task.ScheduledAt > now;
            if (rescheduled)
            {
                task.ScheduledAt = now;
                task.UpdatedBy = user;
                task.UpdatedAt = now;
                await db.SaveChangesAsync(ct);
            }
        }
        var jobId = TryEnqueue(() => jobs.Enqueue<TaskPushJob>(j => j.RunAsync(CancellationToken.None)));
        await AuditAsync(user, "PushNow", taskId, new { scheduledAt = scheduledBefore }, new { scheduledAt = rescheduled ? now : scheduledBefore, jobId }, now, ct);
        return new PushNowResult(taskId, rescheduled, jobId);
    }

    /// <summary>
    /// Starts a compensation run now, for one task (an operator on its page) or every task; returns its Hangfire job id
    /// (null when the job storage cannot be reached).
    /// </summary>
    public async Task<string?> RunCompensationNowAsync(string user, long? taskId = null, CancellationToken ct = default)
    {
        var jobId = taskId is { } id
            ? TryEnqueue(() => jobs.Enqueue<TaskCompensationJob>(j => j.RunForTaskAsync(id, CancellationToken.None)))
            : TryEnqueue(() => jobs.Enqueue<TaskCompensationJob>(j => j.RunAsync(CancellationToken.None)));
        await AuditAsync(user, "RunCompensation", taskId, null, new { jobId }, Now(), ct);
        return jobId;
    }

    /// <summary>
    /// Cancels the cancellable task-VINs of a task (or those listed in <paramref name="vinTable"/>). A vehicle that was
    /// notified, or whose notice a push chunk may be sending right now (the row is claimed), is owed a cancel notice.
    /// The state is checked again by each update, so whatever changed since it was read is handled as it is now.
    /// </summary>
    /// <param name="notifiedOnly">Cancel only the VINs owed a cancel notice (a revoked package's kill switch leaves the others pending, paused).</param>
    internal static async Task<(int Due, int Cancelled)> CancelRowsAsync(MySqlConnection connection, MySqlTransaction tx, long taskId,
        string? vinTable, string user, string? reason, DateTime now, CancellationToken ct, bool notifiedOnly = false, bool keepFailed = false)
    {
        // A stopped rollout keeps its failed VINs as they are: they are the evidence of why it was stopped.
        var failedKept = keepFailed ? $" AND tv.state <> {Sql.Text(TaskVinState.Failed)}" : "";
        var join = vinTable is null ? "" : $"JOIN {vinTable} w ON w.vin = tv.vin";
        var closeReason = $"Cancelled by {user}" + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason.Trim()}");
        if (closeReason.Length > 512) closeReason = closeReason[..512];
        (string, object?)[] parameters = [("@task", taskId), ("@user", user), ("@now", now), ("@reason", closeReason)];
        var set = $"tv.state = {Sql.Text(TaskVinState.Cancelled)}, tv.is_resend = 0, tv.close_reason = @reason, tv.updated_at = @now, tv.updated_by = @user";
        // Owed a cancel notice: told about the task, or claimed by a push chunk that may be telling it right now.
        var due = await Sql.ExecAsync(connection, tx,
            $"""
            UPDATE ota_task_vin tv {join}
            SET tv.cancel_notice = {Sql.Text(CancelNoticeState.Due)}, {set}
            WHERE tv.task_id = @task AND tv.is_delete = 0
              AND (tv.state IN {Sql.List(TaskVinLifecycle.OwedCancelNotice)} OR (tv.state IN {Cancellable} AND tv.lease_until IS NOT NULL)){failedKept}
            """, ct, parameters);
        if (notifiedOnly) return (due, due);
        var quiet = await Sql.ExecAsync(connection, tx,
            $"""
            UPDATE ota_task_vin tv {join}
            SET {set}
            WHERE tv.task_id = @task AND tv.is_delete = 0 AND tv.state IN {Cancellable}{failedKept}
            """, ct, parameters);
        return (due, due + quiet);
    }

    internal async Task<int> SendCancelNoticesAsync(long taskId, int due, CancellationToken ct) =>
        due == 0 ? 0 : (await cancelNotices.SendDueAsync(taskId, ct)).Sent;

    /// <summary>Starts a push run now (a group opened, a task resumed); null when the job storage cannot be reached.</summary>
    internal string? EnqueuePush() => TryEnqueue(() => jobs.Enqueue<TaskPushJob>(j => j.RunAsync(CancellationToken.None)));

    private static string? TryEnqueue(Func<string> enqueue)
    {
        try
        {
            return enqueue();
        }
        catch (BackgroundJobClientException)
        {
            // Redis (the job storage) is down. Nothing is lost: the data lives in MySQL and the recurring runs resume with Redis.
            return null;
        }
    }

    /// <summary>
    /// Gives an open task a priority (the push sends higher first); other tasks keep theirs. Throws TASK_STATE_CONFLICT
    /// for a task no longer sent (it has no place in the sending order) and PRIORITY_INVALID outside the allowed range.
    /// </summary>
    public async Task SetPriorityAsync(long taskId, int priority, string user, CancellationToken ct = default)
    {
        if (!TaskRanking.IsValidPriority(priority))
            throw new TaskActionException(TaskActionException.PriorityInvalid,
                $"A priority goes from {TaskRanking.MinPriority} to {TaskRanking.MaxPriority}; got {priority}.");
        var now = Now();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var task = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => new { t.Status, t.Priority }).FirstOrDefaultAsync(ct)
            ?? throw NotFound(taskId);
        var open = TaskLifecycle.Open.ToArray();
        // Conditional on the task still being open: a cancel racing with this leaves the cancelled task as it was.
        var changed = await db.Tasks.Where(t => t.Id == taskId && open.Contains(t.Status))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Priority, priority).SetProperty(t => t.UpdatedBy, user).SetProperty(t => t.UpdatedAt, now), ct);
        if (changed == 0)
            throw new TaskActionException(TaskActionException.TaskStateConflict,
                $"Task {taskId} is {task.Status}; only {string.Join(", ", TaskLifecycle.Open.Order())} tasks have a place in the sending order.");
        await AuditAsync(user, "SetPriority", taskId, new { priority = task.Priority }, new { priority }, now, ct);
    }

    internal async Task AuditAsync(string user, string action, long? taskId, object? before, object after, DateTime at, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AuditLog.Add(new AuditEntry
        {
            User = user,
            Action = action,
            Entity = "ota_task",
            EntityId = taskId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Before = before is null ? null : JsonSerializer.Serialize(before),
            After = JsonSerializer.Serialize(after),
            At = at,
        });
        await db.SaveChangesAsync(ct);
    }

    internal DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private static TaskActionException NotFound(long taskId) =>
        new(TaskActionException.TaskNotFound, $"Task {taskId} does not exist.");
}
