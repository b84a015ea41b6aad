using Microsoft.Extensions.Logging;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;

namespace Ota.Infrastructure.Rollouts;

/// <summary>What one evaluation round did.</summary>
public sealed record RolloutEvaluationReport(int Tasks, int Paused, int GroupsOpened, int TimedOut, int Revoked);

/// <summary>
/// One evaluation of every live task (SPEC §12), run on every instance each <see cref="RolloutOptions.EvaluationInterval"/>:
/// <list type="number">
/// <item>the kill switch: a task whose package was revoked is paused (PACKAGE_REVOKED) and its notified VINs that have
/// not started get cancel notices;</item>
/// <item>for each task with a plan: notified VINs past the execution timeout become TimedOut; the gates are judged by
/// <see cref="RolloutGate"/> (pause on an error threshold, a group reaching its success threshold, the next group
/// opening); the notice rate follows the successes.</item>
/// </list>
/// Every change is a conditional update, so instances evaluating the same task at once apply each decision once.
/// </summary>
public sealed partial class RolloutEvaluation(
    MySqlConnectionFactory connections, TaskPause pause, TaskOperations operations, ILogger<RolloutEvaluation> logger)
{
    public const string Actor = "rollout";

    private static readonly string Live = Sql.List(TaskLifecycle.Live);
    private static readonly TimeSpan TimeoutSweepInterval = TimeSpan.FromMinutes(1);

    // When this instance last swept each task for timeouts.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTime> _lastSweep = new();
    private static readonly string Pausable = Sql.List(TaskLifecycle.From(TaskChange.Pause));

    public async Task<RolloutEvaluationReport> EvaluateAsync(CancellationToken ct)
    {
        int paused = 0, opened = 0, timedOut = 0, revoked = 0;
        await using var connection = await connections.OpenAsync(ct);
        foreach (var (taskId, code) in await RevokedAsync(connection, ct))
        {
            if (await pause.PauseAsync(taskId, new PauseReason(PauseReason.PackageRevoked, null,
                    $"The package of target version {code} was revoked: notified vehicles that have not started were sent a cancel notice."), Actor, ct) is null)
                continue;
            paused++;
            revoked++;
            var now = operations.Now();
            var (due, _) = await Sql.InTransactionAsync(connection, tx =>
                TaskOperations.CancelRowsAsync(connection, tx, taskId, null, Actor, "the package was revoked", now, ct, notifiedOnly: true), ct);
            var sent = await operations.SendCancelNoticesAsync(taskId, due, ct);
            await operations.AuditAsync(Actor, "KillSwitch", taskId, null, new { code = PauseReason.PackageRevoked, cancelNoticesDue = due, cancelNoticesSent = sent }, now, ct);
        }

        var tasks = new List<(long Id, string Plan, UpgradeTaskStatus Status)>();
        await using (var command = Sql.Command(connection, null,
            $"""
            SELECT r.task_id, r.plan, t.status FROM ota_task_rollout r JOIN ota_task t ON t.id = r.task_id
            WHERE r.plan IS NOT NULL AND t.status IN {Live}
            """))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) tasks.Add((reader.GetInt64(0), reader.GetString(1), Enum.Parse<UpgradeTaskStatus>(reader.GetString(2))));
        }
        foreach (var (taskId, json, status) in tasks)
        {
            var plan = RolloutPlan.FromJson(json);
            var outcome = await EvaluateTaskAsync(connection, taskId, plan, status, ct);
            paused += outcome.Paused ? 1 : 0;
            opened += outcome.Opened;
            timedOut += outcome.TimedOut;
        }
        return new RolloutEvaluationReport(tasks.Count, paused, opened, timedOut, revoked);
    }

    private async Task<(bool Paused, int Opened, int TimedOut)> EvaluateTaskAsync(MySqlConnection connection, long taskId, RolloutPlan plan,
        UpgradeTaskStatus status, CancellationToken ct)
    {
        var now = operations.Now();
        var timedOut = 0;
        // Timeouts are in minutes: swept once a minute (a sweep reads the task's in-flight rows), READ COMMITTED so it
        // locks only the rows it changes, not the follow-ups' rows it passes over.
        if (plan.ExecutionTimeout is { } timeout && (!_lastSweep.TryGetValue(taskId, out var last) || now - last >= TimeoutSweepInterval))
        {
            _lastSweep[taskId] = now;
            timedOut = await Sql.InTransactionAsync(connection, tx => Sql.ExecAsync(connection, tx,
                $"""
                UPDATE ota_task_vin
                SET state = {Sql.Text(TaskVinLifecycle.To(TaskVinChange.TimeOut).Single())}, is_resend = 0, updated_at = @now, updated_by = @by,
                    close_reason = CONCAT('EXECUTION_TIMEOUT: no final status ', @minutes, ' minutes after the notice')
                WHERE task_id = @task AND state IN {Sql.List(TaskVinLifecycle.From(TaskVinChange.TimeOut))} AND is_delete = 0
                  AND notified_at < @cutoff AND lease_until IS NULL
                """, ct, ("@now", now), ("@by", Actor), ("@minutes", plan.ExecutionTimeoutMinutes), ("@task", taskId), ("@cutoff", now - timeout)), ct);
            await TaskActivity.AddAsync(connection, taskId, now, 0, 0, timedOut, logger);
        }

        var groups = new List<TaskRolloutGroup>();
        await using (var command = Sql.Command(connection, null,
            "SELECT group_index, opened_at, reached_at, approved_at, failed_at_resume FROM ota_task_rollout_group WHERE task_id = @task ORDER BY group_index",
            ("@task", taskId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                groups.Add(new TaskRolloutGroup
                {
                    GroupIndex = reader.GetInt32(0),
                    OpenedAt = reader.IsDBNull(1) ? null : reader.GetDateTime(1),
                    ReachedAt = reader.IsDBNull(2) ? null : reader.GetDateTime(2),
                    ApprovedAt = reader.IsDBNull(3) ? null : reader.GetDateTime(3),
                    FailedAtResume = reader.GetInt32(4),
                });
        }
        if (groups.Count != plan.Groups.Count) return (false, 0, timedOut);
        var counts = await RolloutCounts.ReadAsync(connection, taskId, ct);
        var gates = groups.Select(g => g.Gate).ToList();
        var sending = TaskLifecycle.From(TaskChange.Pause).Contains(status);
        var decisions = RolloutGate.Evaluate(plan, gates, [.. plan.Groups.Select((_, i) => counts.Group(i))], sending, now);

        var paused = false;
        var opened = 0;
        foreach (var decision in decisions)
        {
            switch (decision)
            {
                case RolloutDecision.Pause p:
                    paused = await pause.PauseAsync(taskId, p.Reason, Actor, ct) is not null;
                    if (paused)
                        await operations.AuditAsync(Actor, "Pause", taskId, new { status = status.ToString() },
                            new { status = nameof(UpgradeTaskStatus.Paused), code = p.Reason.Code, group = p.Reason.Group, detail = p.Reason.Detail }, now, ct);
                    break;
                case RolloutDecision.Reached r:
                    await Sql.ExecAsync(connection, null,
                        "UPDATE ota_task_rollout_group SET reached_at = @now WHERE task_id = @task AND group_index = @group AND reached_at IS NULL",
                        ct, ("@now", now), ("@task", taskId), ("@group", r.Group));
                    break;
                case RolloutDecision.OpenNext o:
                    if (await OpenGroupAsync(connection, taskId, o.Group, now, ct))
                    {
                        opened++;
                        LogOpened(taskId, plan.Groups[o.Group].Name);
                        await operations.AuditAsync(Actor, "OpenGroup", taskId, null, new { group = plan.Groups[o.Group].Name, index = o.Group }, now, ct);
                    }
                    break;
            }
        }
        if (opened > 0) operations.EnqueuePush();

        int? rate = plan.NoticeRate?.CurrentPerMinute(counts.Of([TaskVinState.Succeeded]));
        await Sql.ExecAsync(connection, null,
            "UPDATE ota_task_rollout SET notices_per_minute = @rate, evaluated_at = @now WHERE task_id = @task",
            ct, ("@rate", rate), ("@now", now), ("@task", taskId));
        return (paused, opened, timedOut);
    }

    /// <summary>Opens group <paramref name="group"/> once, whichever instance gets there first.</summary>
    private static async Task<bool> OpenGroupAsync(MySqlConnection connection, long taskId, int group, DateTime now, CancellationToken ct) =>
        await Sql.InTransactionAsync(connection, async tx =>
        {
            var moved = await Sql.ExecAsync(connection, tx,
                "UPDATE ota_task_rollout SET opened_groups = @next WHERE task_id = @task AND opened_groups = @group",
                ct, ("@next", group + 1), ("@task", taskId), ("@group", group));
            if (moved == 0) return false;
            await Sql.ExecAsync(connection, tx,
                "UPDATE ota_task_rollout_group SET opened_at = @now WHERE task_id = @task AND group_index = @group AND opened_at IS NULL",
                ct, ("@now", now), ("@task", taskId), ("@group", group));
            return true;
        }, ct);

    /// <summary>
    /// Sending tasks whose target version's package for their series-model is revoked (any package of that version,
    /// full or delta, either generation: a vehicle of the task may be given it), with the version.
    /// </summary>
    private static async Task<List<(long TaskId, string Version)>> RevokedAsync(MySqlConnection connection, CancellationToken ct)
    {
        var revoked = Sql.Text(PackageStatus.Revoked);
        var found = new List<(long, string)>();
        await using var command = Sql.Command(connection, null,
            $"""
            SELECT t.id, t.target_version FROM ota_task t
            WHERE t.status IN {Pausable} AND (
              EXISTS (SELECT 1 FROM ota_package_total_full p WHERE p.series_model_id = t.series_model_id AND p.version = t.target_version AND p.status = {revoked})
              OR EXISTS (SELECT 1 FROM ota_package_total_delta p WHERE p.series_model_id = t.series_model_id AND p.version = t.target_version AND p.status = {revoked})
              OR EXISTS (SELECT 1 FROM ota_package p WHERE p.series_model_id = t.series_model_id AND p.version = t.target_version AND p.status = {revoked}))
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add((reader.GetInt64(0), reader.GetString(1)));
        return found;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: rollout group '{Group}' opened")]
    private partial void LogOpened(long taskId, string group);
}
