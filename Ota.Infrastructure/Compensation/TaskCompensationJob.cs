using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Push;

namespace Ota.Infrastructure.Compensation;

/// <summary>What a compensation run did.</summary>
/// <param name="ClosedAtMaximum">Flagged VINs already resent the maximum number of times: closed, not sent.</param>
/// <param name="FlagsCleared">Flags on VINs that are done with their task (succeeded, cancelled, superseded, closed): cleared.</param>
/// <param name="ClosedWithTask">Flagged VINs of tasks that fail task-level validation now, or are no longer running: closed with the reason.</param>
/// <param name="Resent">Flagged VINs sent their notice again (resend count + 1).</param>
/// <param name="NotResent">Flagged VINs that no longer qualify: closed with their reason codes.</param>
/// <param name="NeverNotifiedSent">VINs of executed tasks that had never been notified, sent now.</param>
/// <param name="NotSent">Notices the broker did not take; those VINs keep their flag (or stay pending) for the next run.</param>
public sealed record CompensationReport(int ClosedAtMaximum, int FlagsCleared, int ClosedWithTask, int Resent, int NotResent,
    int NeverNotifiedSent, int NeverNotifiedRejected, int NotSent, string? StoppedBecause)
{
    public override string ToString() =>
        $"resent {Resent}, closed at the maximum {ClosedAtMaximum}, no longer qualify {NotResent}, closed with their task {ClosedWithTask}, " +
        $"flags cleared {FlagsCleared}; executed tasks' never-notified VINs: {NeverNotifiedSent} sent, {NeverNotifiedRejected} no longer qualify; " +
        $"not sent {NotSent}" + (StoppedBecause is null ? "" : $"; stopped: {StoppedBecause}");
}

/// <summary>
/// The compensation job of SPEC §6 (OtaTaskCompensationJob): the task-VINs a failure report flagged for resending,
/// grouped by task and validated as in SPEC §3 against current data, are sent again (resend count + 1, flag cleared) or
/// closed with the reason (the maximum resend count reached, the vehicle or the task no longer qualifies). The same run
/// sends the VINs of executed tasks that were never notified. Chunks are claimed like the push's, so a run started by
/// an operator while the scheduled one runs sends nothing twice.
/// </summary>
public sealed partial class TaskCompensationJob(
    MySqlConnectionFactory connections, NoticeTaskReader tasks, NoticeChunkProcessor chunks, IOptions<CompensationOptions> options,
    TimeProvider clock, ILogger<TaskCompensationJob> logger)
{
    public const string RecurringJobId = "OtaTaskCompensationJob";

    private const string Actor = "compensation";

    // A flag on a VIN done with its task (final, or taken off it) is cleared without a resend.
    private static readonly string Resendable = Sql.List(TaskVinLifecycle.Resendable);
    private static readonly string Closed = Sql.Text(TaskVinState.Closed);

    [JobDisplayName("OtaTaskCompensationJob: resend failed downloads, send executed tasks' never-notified VINs")]
    [AutomaticRetry(Attempts = 2)]
    public async Task<string> RunAsync(CancellationToken cancellationToken) => (await CompensateAsync(cancellationToken)).ToString();

    // An operator's run from one task's page: the same work, for that task alone.
    [JobDisplayName("OtaTaskCompensationJob for task {0}")]
    [AutomaticRetry(Attempts = 2)]
    public async Task<string> RunForTaskAsync(long taskId, CancellationToken cancellationToken) =>
        (await CompensateAsync(cancellationToken, taskId)).ToString();

    /// <param name="onlyTask">One task's VINs only (an operator's run from its page); every task's when null.</param>
    public async Task<CompensationReport> CompensateAsync(CancellationToken ct, long? onlyTask = null)
    {
        var max = options.Value.MaxResendCount;
        var ofTask = onlyTask is null ? "" : " AND task_id = @only";
        var only = ("@only", (object?)onlyTask);
        await using var connection = await connections.OpenAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var leaseClock = await Lease.ClockAsync(connection, null, ct);

        var closedAtMaximum = await Sql.ExecAsync(connection, null,
            $"""
            UPDATE ota_task_vin
            SET is_resend = 0, state = {Closed}, lease_until = NULL, updated_at = @now, updated_by = @by,
                close_reason = CONCAT('RESEND_LIMIT_REACHED: resent ', resend_count, ' times, the maximum is ', @max)
            WHERE is_resend = 1 AND is_delete = 0 AND state IN {Resendable} AND resend_count >= @max AND {Lease.Free()}{ofTask}
            """, ct, ("@now", now), ("@by", Actor), ("@max", max), leaseClock, only);
        var flagsCleared = await Sql.ExecAsync(connection, null,
            $"""
            UPDATE ota_task_vin SET is_resend = 0, updated_at = @now, updated_by = @by
            WHERE is_resend = 1 AND (is_delete = 1 OR state IN {Sql.List(TaskVinLifecycle.Final)}) AND {Lease.Free()}{ofTask}
            """, ct, ("@now", now), ("@by", Actor), leaseClock, only);

        int closedWithTask = 0, resent = 0, notResent = 0, neverSent = 0, neverRejected = 0, notSent = 0;
        string? stopped = null;
        foreach (var taskId in await Sql.IdsAsync(connection, null, $"SELECT DISTINCT task_id FROM ota_task_vin WHERE is_resend = 1{ofTask} ORDER BY task_id", ct, only))
        {
            var (task, notice, verdict) = await tasks.ReadAsync(taskId, ct);
            if (task is null) continue;
            // A paused task keeps its flagged VINs: they are resent once it is resumed.
            if (task.Status == UpgradeTaskStatus.Paused) continue;
            if (!TaskLifecycle.Running.Contains(task.Status))
            {
                closedWithTask += await CloseFlaggedAsync(connection, taskId, "", $"Not resent: the task is {task.Status}", ct);
                continue;
            }
            if (!verdict.IsValid)
            {
                closedWithTask += await CloseFlaggedAsync(connection, taskId, string.Join(' ', verdict.Codes), $"Not resent: {verdict}", ct);
                continue;
            }
            while (await chunks.ProcessNextAsync(notice!, NoticeRound.Resend, Actor, ct, resendLimit: max) is { } chunk)
            {
                resent += chunk.Sent;
                notResent += chunk.Rejected;
                notSent += chunk.Failed;
                if (chunk.Failed > 0)
                {
                    stopped = $"notices not sent ({chunk.FirstError}); the rest waits for the next run";
                    break;
                }
                // Paused or stopped meanwhile: its VINs wait, the other tasks go on.
                if (chunk.Halted > 0) break;
            }
            if (stopped is not null) break;
        }

        if (stopped is null)
        {
            foreach (var taskId in await Sql.IdsAsync(connection, null,
                $"""
                SELECT t.id FROM ota_task t
                WHERE t.status = {Sql.Text(UpgradeTaskStatus.Executed)}{(onlyTask is null ? "" : " AND t.id = @only")}
                  AND EXISTS (SELECT 1 FROM ota_task_vin tv
                              WHERE tv.task_id = t.id AND tv.state IN {Sql.List(TaskVinLifecycle.Claimable)} AND tv.is_delete = 0)
                ORDER BY t.priority DESC, t.id
                """, ct, only))
            {
                var (_, notice, verdict) = await tasks.ReadAsync(taskId, ct);
                if (notice is null || !verdict.IsValid)
                {
                    LogNeverNotifiedBlocked(taskId, verdict.ToString());
                    continue;
                }
                while (await chunks.ProcessNextAsync(notice, NoticeRound.Push, Actor, ct) is { } chunk)
                {
                    neverSent += chunk.Sent;
                    neverRejected += chunk.Rejected;
                    notSent += chunk.Failed;
                    if (chunk.Failed > 0)
                    {
                        stopped = $"notices not sent ({chunk.FirstError}); the rest waits for the next run";
                        break;
                    }
                    if (chunk.Halted > 0) break;
                }
                if (stopped is not null) break;
            }
        }

        var report = new CompensationReport(closedAtMaximum, flagsCleared, closedWithTask, resent, notResent, neverSent, neverRejected, notSent, stopped);
        LogReport(report.ToString());
        return report;
    }

    private async Task<int> CloseFlaggedAsync(MySqlConnection connection, long taskId, string codes, string reason, CancellationToken ct) =>
        await Sql.ExecAsync(connection, null,
            $"""
            UPDATE ota_task_vin
            SET is_resend = 0, state = {Closed}, verdict_codes = NULLIF(@codes, ''), close_reason = LEFT(@reason, 512),
                lease_until = NULL, updated_at = @now, updated_by = @by
            WHERE task_id = @task AND is_resend = 1 AND is_delete = 0 AND state IN {Resendable} AND {Lease.Free()}
            """, ct, ("@codes", codes), ("@reason", reason), ("@now", clock.GetUtcNow().UtcDateTime), ("@by", Actor), ("@task", taskId),
            await Lease.ClockAsync(connection, null, ct));

    [LoggerMessage(Level = LogLevel.Information, Message = "Compensation: {Report}")]
    private partial void LogReport(string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Executed task {TaskId} has never-notified VINs but is not sent: {Verdict}")]
    private partial void LogNeverNotifiedBlocked(long taskId, string verdict);
}
