using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;

namespace Ota.Infrastructure.Push;

/// <summary>What one chunk came to.</summary>
/// <param name="Claimed">Task-VINs this chunk claimed.</param>
/// <param name="Rejected">Claimed VINs that no longer qualify: closed with their reason codes, not sent.</param>
/// <param name="Sent">Notices the broker acknowledged.</param>
/// <param name="Failed">Notices not acknowledged (or not attempted): their VINs were released and stay as they were.</param>
/// <param name="Recorded">Sent notices recorded in ota_vehicle_download_notice with their task-VINs marked notified.</param>
/// <param name="Superseded">Other tasks' not-started task-VINs a sampling task took over.</param>
/// <param name="Halted">Notices not sent because the task stopped sending meanwhile (paused, stopped, cancelled): their VINs were released and stay as they were.</param>
public sealed record ChunkOutcome(int Claimed, int Rejected, int Sent, int Failed, int Recorded, int Superseded, string? FirstError, int Halted = 0)
{
    /// <summary>Set when nothing was claimed because the task's notice rate is spent for now: try it again after this long.</summary>
    public TimeSpan? DeferredFor { get; init; }

    public static ChunkOutcome Deferred(TimeSpan wait) => new(0, 0, 0, 0, 0, 0, null) { DeferredFor = wait };

    /// <summary>Sent notices whose VINs another instance took over before this one recorded them (the lease had run out); that instance records them.</summary>
    public int LeaseLost => Sent - Recorded;
}

/// <summary>
/// One chunk of a notice round, the same for the push and the compensation job:
/// <list type="number">
/// <item>claim up to <see cref="PushOptions.ChunkSize"/> task-VINs of a task with one atomic update that records the
/// claimer and a lease (a range of VINs in key order, so the chunk is one index range from then on);</item>
/// <item>read the vehicles' current facts in one query and judge each VIN with the domain rules (SPEC §3);</item>
/// <item>close those that no longer qualify, with their codes; for a sampling task, supersede the VIN's other not-started task-VINs;</item>
/// <item>send the notices in batches through <see cref="INoticeSender"/>, each only while the task is still sending (a
/// shared lock on its row, which a pause waits for) and within its rollout's notice rate (<see cref="RolloutPacer"/>);</item>
/// <item>in one transaction, release the VINs whose notice the broker did not take, mark the others notified and
/// record their notices, all set-based and all conditioned on the claim still being ours.</item>
/// </list>
/// Several instances can run chunks of the same task: a row is only ever updated by the holder of its claim, and a claim
/// is only taken when free or expired, so a VIN is recorded as notified once. Message ids are derived from the task, the
/// VIN and the attempt (<see cref="NoticeIds"/>), so the one case that sends a notice again (an instance dying after the
/// broker's acknowledgement and before its commit) repeats the same message id.
/// </summary>
public sealed partial class NoticeChunkProcessor(
    MySqlConnectionFactory connections, INoticeSender sender, NoticePacer pacer, RolloutPacer rolloutPacer, ClaimCursors cursors, PushStatistics statistics,
    DdiWork ddiWork, IOptions<PushOptions> options, IOptions<MqttOptions> mqtt, IOptions<OtaOptions> ota,
    TimeProvider clock, ILogger<NoticeChunkProcessor> logger)
{
    // The lifecycle's state lists, as SQL.
    private static readonly string Claimable = Sql.List(TaskVinLifecycle.Claimable);
    private static readonly string Resendable = Sql.List(TaskVinLifecycle.Resendable);
    private static readonly string Reported = Sql.List(TaskVinLifecycle.Reported);
    private static readonly string Cancelled = Sql.Text(TaskVinState.Cancelled);
    private static readonly string Notified = Sql.Text(TaskVinLifecycle.To(TaskVinChange.Notify).Single());

    /// <summary>How much of a paced task's budget may be reserved ahead (chunks waiting to send) before workers leave it.</summary>
    private static readonly TimeSpan PacedBacklog = TimeSpan.FromSeconds(1);

    // Read by each claim, so a group opened by any instance is claimed from the next chunk on.
    private static readonly string OpenedGroups =
        $"COALESCE((SELECT r.opened_groups FROM ota_task_rollout r WHERE r.task_id = @task AND r.plan IS NOT NULL), {byte.MaxValue + 1})";

    private static readonly BulkColumn<(string Vin, string Codes)>[] VinTextColumns =
    [
        new("vin", typeof(string), r => r.Vin),
        new("text", typeof(string), r => r.Codes),
    ];

    /// <summary>Claims, judges, sends and records the next chunk of <paramref name="task"/>; null when nothing is left to claim.</summary>
    /// <param name="actor">Recorded as who changed the rows ("push", "compensation").</param>
    /// <param name="resendLimit">A resend round claims only VINs resent fewer times than this (SPEC §6).</param>
    public async Task<ChunkOutcome?> ProcessNextAsync(NoticeTask task, NoticeRound round, string actor, CancellationToken ct,
        int resendLimit = int.MaxValue)
    {
        var settings = options.Value;
        var claim = Lease.NewToken(ota.Value.InstanceName);
        await using var connection = await connections.OpenAsync(ct);
        // A paced task is claimed in chunks of about a second's notices at the rate allowed now: each is sent well within
        // its lease even when every worker shares the rate, and recorded soon after.
        var perMinute = await Sql.ScalarAsync(connection, null, "SELECT notices_per_minute FROM ota_task_rollout WHERE task_id = @task",
            ct, ("@task", task.Id)) is int rate ? rate : (int?)null;
        var chunkSize = perMinute is { } r ? Math.Clamp(r / 60, 1, settings.ChunkSize) : settings.ChunkSize;
        // A push worker does not sit out a paced task's budget: it leaves the task to the others and goes on to other tasks.
        if (perMinute is not null && round == NoticeRound.Push && await rolloutPacer.BacklogAsync(task.Id, ct) is var backlog && backlog > PacedBacklog)
            return ChunkOutcome.Deferred(backlog - PacedBacklog);
        var claimStart = clock.GetTimestamp();
        if (await ClaimAsync(connection, task.Id, round, resendLimit, chunkSize, claim, ct) is not { } taken) return null;
        var judgeStart = clock.GetTimestamp();

        var claimed = taken.Claimed;
        var range = new ClaimRange(task.Id, taken.After, taken.Last, claim);
        List<VehicleNotice> notices;
        List<(string Vin, string Codes)> rejected;
        int superseded;
        long closeStart;
        try
        {
            (notices, rejected) = await JudgeAsync(connection, task, round, range, claimed, ct);
            closeStart = clock.GetTimestamp();
            superseded = await CloseAndSupersedeAsync(connection, task, round, range, rejected, actor, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping before anything was sent: give the VINs back now rather than when the lease runs out.
            await Sql.ExecAsync(connection, null,
                $"UPDATE ota_task_vin SET claimed_by = NULL, lease_until = NULL WHERE {range.Where} AND lease_until IS NOT NULL",
                CancellationToken.None, range.Parameters());
            throw;
        }

        var sendStart = clock.GetTimestamp();
        var (failed, sent, halted, firstError) = await SendAsync(connection, task.Id, perMinute, notices, claimStart, settings.Lease, ct);
        var recordStart = clock.GetTimestamp();

        // The broker has these notices whatever the caller's token says now: record them.
        var recorded = notices.Count == 0 ? 0 : await RecordAsync(connection, task, round, range, failed, actor, CancellationToken.None);
        // DDI devices learn of the task on their next poll: their instances' poll answers are stale from now on.
        if (recorded > 0 && PolledNotices.AnyPolled(notices)) await ddiWork.BumpAsync();
        await TaskActivity.AddAsync(connection, task.Id, clock.GetUtcNow().UtcDateTime, recorded, 0, 0, logger);
        statistics.Add(sent, Between(claimStart, judgeStart), Between(judgeStart, closeStart), Between(closeStart, sendStart),
            Between(sendStart, recordStart), clock.GetElapsedTime(recordStart));
        var outcome = new ChunkOutcome(claimed, rejected.Count, sent, failed.Count - halted, recorded, superseded, firstError, halted);
        LogChunk(task.Id, round, claimed, rejected.Count, sent, failed.Count, superseded);
        if (outcome.LeaseLost > 0) LogLeaseLost(task.Id, claim, outcome.LeaseLost);
        return outcome;
    }

    private TimeSpan Between(long start, long end) => clock.GetElapsedTime(start, end);

    /// <summary>
    /// Claims the next range of claimable task-VINs after this instance's cursor: finds where a chunk-sized range ends,
    /// then takes every row in it that is still claimable, in one update. Another instance may have taken some or all of
    /// the range meanwhile; then the next range is tried, and once the end is reached, the whole task again from the start.
    /// </summary>
    private async Task<(string After, string Last, int Claimed)?> ClaimAsync(
        MySqlConnection connection, long taskId, NoticeRound round, int resendLimit, int chunkSize, string claim, CancellationToken ct)
    {
        var cursor = cursors.For(taskId, round);
        await cursor.Gate.WaitAsync(ct);
        try
        {
            var after = cursor.After;
            var wrapped = after.Length == 0;
            while (true)
            {
                var leaseClock = await Lease.ClockAsync(connection, null, ct);
                var last = (string?)await Sql.ScalarAsync(connection, null,
                    $"""
                    SELECT MAX(vin) FROM (
                      SELECT vin FROM ota_task_vin
                      WHERE task_id = @task AND vin > @after AND {ClaimableIn(round)} AND {Lease.Free()}
                      ORDER BY vin LIMIT @size) c
                    """, ct, ("@task", taskId), ("@after", after), ("@size", chunkSize), ("@max", resendLimit), leaseClock);
                if (last is null)
                {
                    if (wrapped) return null;
                    (after, wrapped) = ("", true);
                    continue;
                }
                var claimed = await Sql.InTransactionAsync(connection, tx => Sql.ExecAsync(connection, tx,
                    $"""
                    UPDATE ota_task_vin
                    SET claimed_by = @claim, lease_until = {Lease.Until}
                    WHERE task_id = @task AND vin > @after AND vin <= @last AND {ClaimableIn(round)} AND {Lease.Free()}
                    """, ct, ("@claim", claim), leaseClock, Lease.Length(options.Value.Lease), ("@task", taskId),
                    ("@after", after), ("@last", last), ("@max", resendLimit)), ct);
                cursor.After = last;
                if (claimed > 0) return (after, last, claimed);
                after = last;
            }
        }
        finally
        {
            cursor.Gate.Release();
        }
    }

    /// <summary>
    /// Which task-VINs a round may claim (besides a free lease). The task's own status is not checked here: a cancelled
    /// task has no pending VINs left, and one cancelled while a chunk is claimed is handled when the chunk is recorded.
    /// </summary>
    private static string ClaimableIn(NoticeRound round) => round switch
    {
        // Only the open groups of a rollout (SPEC §12); a task without one has every VIN in group 0 and no row, so all.
        NoticeRound.Push => $"state IN {Claimable} AND is_delete = 0 AND rollout_group < {OpenedGroups}",
        _ => $"is_resend = 1 AND is_delete = 0 AND state IN {Resendable} AND resend_count < @max",
    };

    private static async Task<(List<VehicleNotice> Notices, List<(string Vin, string Codes)> Rejected)> JudgeAsync(
        MySqlConnection connection, NoticeTask task, NoticeRound round, ClaimRange range, int claimed, CancellationToken ct)
    {
        // A resend is attempt resend count + 1; the push's notice is a task-VIN's first, attempt 0.
        var resends = new Dictionary<string, int>(StringComparer.Ordinal);
        if (round == NoticeRound.Resend)
        {
            await using var command = Sql.Command(connection, null, $"SELECT vin, resend_count FROM ota_task_vin WHERE {range.Where}", range.Parameters());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) resends[reader.GetString(0)] = reader.GetInt32(1);
        }

        var notices = new List<VehicleNotice>(claimed);
        var rejected = new List<(string, string)>();
        await foreach (var (vin, vehicle) in VehicleFactsReader.ReadAsync(connection, null, $"SELECT vin FROM ota_task_vin WHERE {range.Where}",
            range.Parameters().Select(p => new MySqlParameter(p.Name, p.Value)), task.Facts.ConfigWordSeriesModels, ct))
        {
            var rejection = VehicleEligibility.Evaluate(task.Definition, vehicle);
            if (rejection != VinRejection.None)
            {
                rejected.Add((vin, rejection.ToVerdictText()));
                continue;
            }
            var attempt = round == NoticeRound.Push ? 0 : resends[vin] + 1;
            notices.Add(new VehicleNotice(NoticeIds.Upgrade(task.Id, vin, attempt), task.Id, vin, task.Version, task.PackageId, task.Type,
                task.Generation, Client: vehicle.UpdateClient));
        }
        return (notices, rejected);
    }

    /// <summary>Before sending: closes the claimed VINs that no longer qualify, and lets a sampling task take its VINs from their other tasks.</summary>
    private async Task<int> CloseAndSupersedeAsync(MySqlConnection connection, NoticeTask task, NoticeRound round, ClaimRange range,
        List<(string Vin, string Codes)> rejected, string actor, CancellationToken ct)
    {
        var sampling = task.Type == TaskType.Sampling;
        if (rejected.Count == 0 && !sampling) return 0;
        if (rejected.Count > 0) await Sql.CreateVinTableAsync(connection, "tmp_notice_rejected", withText: true, ct);
        var now = Now();
        return await Sql.InTransactionAsync(connection, async tx =>
        {
            if (rejected.Count > 0)
            {
                await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_notice_rejected", ct);
                await BulkLoader.LoadAsync(connection, tx, "tmp_notice_rejected", rejected, VinTextColumns, ct);
                var (resendCleared, what) = round == NoticeRound.Push ? ("", "Not sent") : ("tv.is_resend = 0, ", "Not resent");
                await Sql.ExecAsync(connection, tx,
                    $"""
                    UPDATE ota_task_vin tv JOIN tmp_notice_rejected r ON r.vin = tv.vin
                    SET {resendCleared}tv.state = {Sql.Text(TaskVinState.Closed)}, tv.verdict_codes = r.text,
                        tv.close_reason = CONCAT('{what}: the vehicle no longer qualifies (', r.text, ')'),
                        tv.lease_until = NULL, tv.updated_at = @now, tv.updated_by = @by
                    WHERE tv.task_id = @task AND tv.claimed_by = @claim
                    """, ct, ("@now", now), ("@by", actor), ("@task", task.Id), ("@claim", range.Claim));
            }
            if (!sampling) return 0;
            // SPEC §5: a sampling task first cancels the VIN's other not-started task-VINs (those another instance is
            // sending right now have started; they are left alone).
            var leaseClock = await Lease.ClockAsync(connection, tx, ct);
            return await Sql.ExecAsync(connection, tx,
                $"""
                UPDATE ota_task_vin o JOIN ota_task_vin n ON n.vin = o.vin
                SET o.state = {Sql.Text(TaskVinState.Superseded)}, o.is_delete = 1, o.superseded_by_task_id = @task, o.claimed_by = NULL,
                    o.lease_until = NULL, o.updated_at = @now, o.updated_by = @by
                WHERE n.task_id = @task AND n.vin > @after AND n.vin <= @last AND n.claimed_by = @claim AND n.lease_until IS NOT NULL
                  AND o.task_id <> @task AND o.state IN {Sql.List(TaskVinLifecycle.From(TaskVinChange.Supersede))} AND o.is_delete = 0
                  AND {Lease.Free("o")}
                """, ct, [.. range.Parameters(), ("@now", now), ("@by", actor), leaseClock]);
        }, ct);
    }

    /// <summary>
    /// Sends in batches of <see cref="MqttOptions.BatchSize"/> (smaller ones for a paced task). No batch starts once half
    /// the lease has passed, so a claim never runs out while this instance still sends; what is left counts as not sent.
    /// Each batch leaves only while the task is still sending: it holds a shared lock on the task's row from the check
    /// to the broker's acknowledgement, and a pause takes that row's exclusive lock, so once a pause is decided (on any
    /// instance) no batch of the task leaves after it. What the check stops is halted: released, not failed.
    /// </summary>
    private async Task<(List<string> Failed, int Sent, int Halted, string? FirstError)> SendAsync(MySqlConnection connection, long taskId,
        int? perMinute, List<VehicleNotice> notices, long claimedAt, TimeSpan lease, CancellationToken ct)
    {
        var failed = new List<string>();
        var sent = 0;
        var halted = 0;
        string? firstError = null;
        var batchSize = Math.Max(1, mqtt.Value.BatchSize);
        // About half a second of notices at a paced rate, so the rate holds second by second, not batch by batch.
        if (perMinute is { } rate) batchSize = Math.Clamp(rate / 120, 1, batchSize);
        for (var start = 0; start < notices.Count; start += batchSize)
        {
            var batch = notices.GetRange(start, Math.Min(batchSize, notices.Count - start));
            string? stop = ct.IsCancellationRequested ? "stopped before sending"
                : clock.GetElapsedTime(claimedAt) > lease / 2 ? "half the claim's lease had passed" : null;
            if (stop is null)
            {
                try
                {
                    await pacer.WaitAsync(batch.Count, ct);
                    if (perMinute is { } paced) await rolloutPacer.WaitAsync(taskId, paced, batch.Count, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    stop = "stopped before sending";
                }
            }
            if (stop is not null)
            {
                firstError ??= stop;
                for (var i = start; i < notices.Count; i++) failed.Add(notices[i].Vin);
                break;
            }
            await using var gate = await connection.BeginTransactionAsync(ct);
            var status = (string?)await Sql.ScalarAsync(connection, gate, "SELECT status FROM ota_task WHERE id = @task LOCK IN SHARE MODE",
                ct, ("@task", taskId));
            // Running tasks only (compensation sends an executed task's never-notified VINs with a push round too).
            if (status is null || !TaskLifecycle.Running.Contains(Enum.Parse<UpgradeTaskStatus>(status)))
            {
                await gate.CommitAsync(CancellationToken.None);
                firstError ??= $"the task is {status ?? "gone"}";
                for (var i = start; i < notices.Count; i++) failed.Add(notices[i].Vin);
                halted = notices.Count - start;
                break;
            }
            var result = await PolledNotices.SendAsync(sender, batch, ct);
            await gate.CommitAsync(CancellationToken.None);
            sent += result.Sent;
            foreach (var failure in result.Failures) failed.Add(failure.Notice.Vin);
            if (!result.AllSent) firstError ??= result.Failures[0].Error;
        }
        return (failed, sent, halted, firstError);
    }

    /// <summary>
    /// Releases the VINs whose notice was not taken (they stay as they were, for the next run), marks the sent ones
    /// notified and records their notices; every statement touches only rows this claim still holds.
    /// </summary>
    private async Task<int> RecordAsync(MySqlConnection connection, NoticeTask task, NoticeRound round, ClaimRange range,
        List<string> failed, string actor, CancellationToken ct)
    {
        if (failed.Count > 0) await Sql.CreateVinTableAsync(connection, "tmp_notice_failed", withText: false, ct);
        var now = Now();
        var attempt = round == NoticeRound.Push ? "0" : "resend_count + 1";
        var resendDone = round == NoticeRound.Push ? "" : "resend_count = resend_count + 1, is_resend = 0, ";
        var held = $"{range.Where} AND lease_until IS NOT NULL";
        return await Sql.InTransactionAsync(connection, async tx =>
        {
            if (failed.Count > 0)
            {
                await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_notice_failed", ct);
                await BulkLoader.LoadVinsAsync(connection, tx, "tmp_notice_failed", failed, ct);
                await Sql.ExecAsync(connection, tx,
                    """
                    UPDATE ota_task_vin tv JOIN tmp_notice_failed f ON f.vin = tv.vin
                    SET tv.claimed_by = NULL, tv.lease_until = NULL
                    WHERE tv.task_id = @task AND tv.claimed_by = @claim
                    """, ct, ("@task", task.Id), ("@claim", range.Claim));
            }
            // One pass over the claim: the sent VINs become notified. Those an operator cancelled while their notice was on
            // its way stay cancelled, but say that the vehicle has the notice; their cancel notice (already due) follows
            // once this claim is released. A vehicle quick enough to report progress before its notice was recorded
            // (the follow-up decision moved its task-VIN on) keeps that progress, and its notice is recorded all the same.
            // Assignments run left to right, so the IFs see the state before the change.
            var (eligible, notifiedState) = round == NoticeRound.Push
                ? ($"state IN {Claimable} OR state IN {Reported}", $"IF(state IN {Claimable}, {Notified}, state)")
                : ($"is_resend = 1 AND state IN {Resendable}", Notified);
            await Sql.ExecAsync(connection, tx,
                $"""
                UPDATE ota_task_vin
                SET message_id = {NoticeIds.UpgradeSql(attempt)}, {resendDone}notified_at = @now, lease_until = NULL,
                    updated_at = IF(state = {Cancelled}, updated_at, @now), updated_by = IF(state = {Cancelled}, updated_by, @by),
                    verdict_codes = IF(state = {Cancelled}, verdict_codes, NULL),
                    state = IF(state = {Cancelled}, {Cancelled}, {notifiedState})
                WHERE {held} AND (state = {Cancelled} OR ({eligible}))
                """, ct, [.. range.Parameters(), ("@now", now), ("@by", actor)]);
            return await Sql.ExecAsync(connection, tx,
                $"""
                INSERT INTO ota_vehicle_download_notice (task_id, vin, package_id, version, upgrade_type, message_id, kind, resend_count, sent_at)
                SELECT task_id, vin, @package, @version, @type, message_id, {Sql.Text(NoticeKind.Upgrade)}, resend_count, @now
                FROM ota_task_vin
                WHERE {range.Where} AND lease_until IS NULL AND notified_at = @now
                  AND (state IN ({Notified}, {Cancelled}) OR state IN {Reported})
                """, ct, [.. range.Parameters(), ("@now", now), ("@package", task.PackageId), ("@version", task.Version),
                    ("@type", task.Type.ToString())]);
        }, ct);
    }

    // Stored with millisecond precision; truncating here lets a statement find the rows it stamped.
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    /// <summary>The rows of one claim: a VIN range of one task, held under one claim token.</summary>
    private sealed record ClaimRange(long TaskId, string After, string Last, string Claim)
    {
        public string Where => "task_id = @task AND vin > @after AND vin <= @last AND claimed_by = @claim";

        public (string Name, object? Value)[] Parameters() => [("@task", TaskId), ("@after", After), ("@last", Last), ("@claim", Claim)];
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Task {TaskId} {Round}: {Claimed} claimed, {Rejected} no longer qualify, {Sent} sent, {Failed} not sent, {Superseded} other task-VINs superseded")]
    private partial void LogChunk(long taskId, NoticeRound round, int claimed, int rejected, int sent, int failed, int superseded);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Task {TaskId}: claim {Claim} expired before {Count} sent notices were recorded; the instance that took them over records them")]
    private partial void LogLeaseLost(long taskId, string claim, int count);
}
