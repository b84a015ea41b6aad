using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Push;

/// <summary>What one push worker did.</summary>
public sealed record PushWorkerReport(bool GotSlot, int Chunks, int Claimed, int Sent, int Failed, int Rejected, int Superseded,
    IReadOnlyList<long> ExecutedTasks, IReadOnlyList<long> BlockedTasks, string? StoppedBecause)
{
    public static PushWorkerReport NoFreeSlot { get; } = new(false, 0, 0, 0, 0, 0, 0, [], [], "every worker slot is taken");

    public override string ToString() => !GotSlot
        ? $"not started: {StoppedBecause}"
        : $"{Chunks} chunks: {Claimed} claimed, {Sent} sent, {Failed} not sent, {Rejected} no longer qualify, {Superseded} superseded; " +
          $"executed tasks [{string.Join(", ", ExecutedTasks)}], blocked tasks [{string.Join(", ", BlockedTasks)}]" +
          (StoppedBecause is null ? "" : $"; stopped: {StoppedBecause}");
}

/// <summary>
/// One push worker: takes one of the <see cref="PushOptions.Workers"/> slots (a MariaDB named lock, so the bound holds
/// across instances and a dead instance's slot frees with its connection), then pushes chunk after chunk, always from
/// the highest-priority due task that has VINs to claim, until none is left, a chunk fails to send (the broker is in
/// trouble: the next run tries again) or its time budget is spent.
/// </summary>
public sealed partial class PushWorker(
    MySqlConnectionFactory connections, NoticeTaskReader tasks, NoticeChunkProcessor chunks, PushTasks pushTasks,
    IOptions<PushOptions> options, TimeProvider clock, ILogger<PushWorker> logger)
{
    public async Task<PushWorkerReport> RunAsync(CancellationToken ct)
    {
        await using var slotConnection = await connections.OpenAsync(ct);
        var slot = await TakeSlotAsync(slotConnection, ct);
        if (slot is null) return PushWorkerReport.NoFreeSlot;
        try
        {
            return await PushAsync(ct);
        }
        finally
        {
            await Sql.ScalarAsync(slotConnection, null, "SELECT RELEASE_LOCK(@name)", CancellationToken.None, ("@name", slot));
        }
    }

    private async Task<string?> TakeSlotAsync(MySqlConnection connection, CancellationToken ct)
    {
        // Named locks are server-wide: the database name keeps apart apps (and test classes) sharing a server.
        var database = connection.Database;
        for (var slot = 0; slot < options.Value.Workers; slot++)
        {
            var name = $"{database}/ota-push-worker/{slot}";
            if (name.Length > 64) name = name[^64..];
            var taken = await Sql.ScalarAsync(connection, null, "SELECT GET_LOCK(@name, 0)", ct, ("@name", name));
            if (taken is not null && Convert.ToInt64(taken) == 1) return name;
        }
        return null;
    }

    private async Task<PushWorkerReport> PushAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var budget = options.Value.WorkerTimeBudget;
        var known = new Dictionary<long, NoticeTask?>();
        var exhausted = new HashSet<long>();
        // Paced tasks whose notice budget is spent for now, and from when to try them again.
        var deferred = new Dictionary<long, long>();
        var executed = new List<long>();
        var blocked = new List<long>();
        int chunkCount = 0, claimed = 0, sent = 0, failed = 0, rejected = 0, superseded = 0;
        string? stoppedBecause = null;

        while (stoppedBecause is null)
        {
            if (ct.IsCancellationRequested) stoppedBecause = "the server is stopping";
            else if (clock.GetElapsedTime(started) > budget) stoppedBecause = "time budget spent; the next run goes on";
            if (stoppedBecause is not null) break;

            // Priorities are read again after every chunk, so a task published meanwhile with a higher priority goes first.
            ChunkOutcome? outcome = null;
            long outcomeTask = 0;
            foreach (var taskId in await pushTasks.DueAsync(ct))
            {
                if (exhausted.Contains(taskId)) continue;
                if (deferred.TryGetValue(taskId, out var retryAt) && clock.GetTimestamp() < retryAt) continue;
                if (!known.TryGetValue(taskId, out var task))
                {
                    var (_, notice, verdict) = await tasks.ReadAsync(taskId, ct);
                    await tasks.RecordPushBlockAsync(taskId, verdict, ct);
                    task = verdict.IsValid ? notice : null;
                    if (task is null)
                    {
                        blocked.Add(taskId);
                        LogBlocked(taskId, verdict.ToString());
                    }
                    known[taskId] = task;
                }
                if (task is null)
                {
                    exhausted.Add(taskId);
                    continue;
                }
                outcome = await chunks.ProcessNextAsync(task, NoticeRound.Push, "push", ct);
                outcomeTask = taskId;
                if (outcome?.DeferredFor is { } wait)
                {
                    deferred[taskId] = clock.GetTimestamp() + (long)(wait.TotalSeconds * clock.TimestampFrequency);
                    outcome = null;
                    continue;
                }
                if (outcome is not null) break;
                exhausted.Add(taskId);
                if (await pushTasks.MarkExecutedIfDoneAsync(taskId, ct)) executed.Add(taskId);
            }
            if (outcome is null)
            {
                // Only paced tasks are left, their budget spent for now: wait for the earliest (the time budget still holds).
                var pending = deferred.Where(d => !exhausted.Contains(d.Key)).Select(d => d.Value).DefaultIfEmpty().Min();
                if (pending == 0) break;
                var delay = TimeSpan.FromSeconds(Math.Max(0, pending - clock.GetTimestamp()) / (double)clock.TimestampFrequency);
                try
                {
                    await Task.Delay(delay < MinimumDeferral ? MinimumDeferral : delay, clock, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    stoppedBecause = "the server is stopping";
                }
                continue;
            }

            chunkCount++;
            claimed += outcome.Claimed;
            sent += outcome.Sent;
            failed += outcome.Failed;
            rejected += outcome.Rejected;
            superseded += outcome.Superseded;
            // A task paused or stopped while its chunk was sent: the others go on.
            if (outcome.Halted > 0) exhausted.Add(outcomeTask);
            if (outcome.Failed > 0) stoppedBecause = $"notices not sent ({outcome.FirstError}); they stay pending for the next run";
        }
        return new PushWorkerReport(true, chunkCount, claimed, sent, failed, rejected, superseded, executed, blocked, stoppedBecause);
    }

    private static readonly TimeSpan MinimumDeferral = TimeSpan.FromMilliseconds(50);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} is not pushed: {Verdict}")]
    private partial void LogBlocked(long taskId, string verdict);
}
