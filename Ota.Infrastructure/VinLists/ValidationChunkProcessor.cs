using System.Numerics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.VinLists;

/// <summary>
/// Validates one chunk of a run: claims it (so two workers never do the same chunk), reads the facts of its VINs
/// in one query, judges each VIN with the domain rules, and writes the verdicts (and the accepted task-VINs) with
/// the chunk's completion in one transaction, so a retried chunk never counts a VIN twice.
/// </summary>
public sealed partial class ValidationChunkProcessor(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, TaskFactsReader taskFacts,
    ValidationCompletion completion, IOptions<ValidationOptions> options, IOptions<OtaOptions> ota, TimeProvider clock,
    OtaMetrics metrics, ILogger<ValidationChunkProcessor> logger)
{
    private static readonly BulkColumn<(long Task, string Vin, DateTime At)>[] TaskVinColumns =
    [
        new("task_id", typeof(long), r => r.Task),
        new("vin", typeof(string), r => r.Vin),
        new("state", typeof(string), _ => nameof(TaskVinState.Pending)),
        new("is_resend", typeof(bool), _ => false),
        new("resend_count", typeof(int), _ => 0),
        new("is_delete", typeof(bool), _ => false),
        new("created_at", typeof(DateTime), r => r.At),
    ];

    /// <summary>Returns false when the chunk was already done or is held by another worker.</summary>
    public async Task<bool> ProcessAsync(long runId, int chunk, CancellationToken ct = default)
    {
        var worker = Lease.NewToken(ota.Value.InstanceName);
        if (!await DeadlockRetry.RunAsync(() => ClaimAsync(runId, chunk, worker, ct), ct)) return false;

        ValidationRun run;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            run = await db.ValidationRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        var facts = await taskFacts.ReadAsync(run.TaskType, run.Source, run.SeriesModelId, run.TargetVersion, ct);
        var now = clock.GetUtcNow().UtcDateTime;

        var accepted = new List<(long, string, DateTime)>(run.Mode == ValidationMode.Create ? run.ChunkSize : 0);
        var acceptedCount = 0;
        var rejected = new List<(long, string, string?, string)>();
        var reasonCounts = new int[32];
        var vins = 0;
        await using var connection = await connections.OpenAsync(ct);
        await foreach (var (vin, vehicle) in VehicleFactsReader.ReadAsync(connection, null,
            "SELECT vin FROM ota_validation_vin WHERE run_id = @run AND chunk = @chunk",
            [new MySqlParameter("@run", runId), new MySqlParameter("@chunk", chunk)], facts.ConfigWordSeriesModels, ct))
        {
            vins++;
            var rejection = VehicleEligibility.Evaluate(facts.Definition, vehicle);
            if (rejection == VinRejection.None)
            {
                acceptedCount++;
                if (run.TaskId is { } taskId) accepted.Add((taskId, vin, now));
                continue;
            }
            rejected.Add((runId, vin, vin, rejection.ToVerdictText()));
            for (var bits = (uint)rejection; bits != 0; bits &= bits - 1) reasonCounts[BitOperations.TrailingZeroCount(bits)]++;
        }

        // The verdicts and the chunk's completion in one transaction, tried again when InnoDB picks it as a deadlock victim
        // (its statements are all rolled back then, and the lists are still in memory).
        var committed = await DeadlockRetry.RunAsync(async () =>
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            if (run.Mode == ValidationMode.Create)
                await BulkLoader.LoadAsync(connection, tx, "ota_task_vin", accepted, TaskVinColumns, ct);
            await BulkLoader.LoadAsync(connection, tx, "ota_validation_rejection", rejected, ValidationStaging.RejectionColumns, ct);
            await using (var done = new MySqlCommand(
                $"""
                UPDATE ota_validation_chunk SET status = {Sql.Text(ValidationChunkStatus.Done)}, vins = @vins, accepted = @accepted,
                       reason_counts = @reasons, finished_at = @now, lease_until = NULL
                WHERE run_id = @run AND chunk = @chunk AND status = {Running} AND claimed_by = @worker
                """, connection, tx))
            {
                done.Parameters.AddWithValue("@vins", vins);
                done.Parameters.AddWithValue("@accepted", acceptedCount);
                done.Parameters.AddWithValue("@reasons", ReasonCountsJson(reasonCounts));
                done.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
                done.Parameters.AddWithValue("@run", runId);
                done.Parameters.AddWithValue("@chunk", chunk);
                done.Parameters.AddWithValue("@worker", worker);
                if (await done.ExecuteNonQueryAsync(ct) != 1)
                {
                    // The lease ran out and another worker took the chunk over: its result stands, ours is dropped.
                    await tx.RollbackAsync(ct);
                    LogLeaseLost(runId, chunk, worker);
                    return false;
                }
            }
            await tx.CommitAsync(ct);
            return true;
        }, ct);
        if (!committed) return false;
        LogChunkDone(runId, chunk, vins, acceptedCount);
        metrics.VinsValidated(acceptedCount, vins - acceptedCount);
        await completion.TryCompleteAsync(runId, ct);
        return true;
    }

    /// <summary>Takes the chunk when it waits for a worker, or when its worker's <see cref="Lease"/> ran out.</summary>
    private async Task<bool> ClaimAsync(long runId, int chunk, string worker, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var leaseClock = await Lease.ClockAsync(connection, null, ct);
        return await Sql.ExecAsync(connection, null,
            $"""
            UPDATE ota_validation_chunk c JOIN ota_validation_run r ON r.id = c.run_id
            SET c.status = {Running}, c.claimed_by = @worker, c.lease_until = {Lease.Until}, c.attempts = c.attempts + 1
            WHERE c.run_id = @run AND c.chunk = @chunk AND r.status = {Sql.Text(ValidationRunStatus.Running)}
              AND (c.status = {Sql.Text(ValidationChunkStatus.Pending)} OR (c.status = {Running} AND {Lease.Expired("c")}))
            """, ct, ("@worker", worker), leaseClock, Lease.Length(options.Value.ChunkLease), ("@run", runId), ("@chunk", chunk)) == 1;
    }

    private static readonly string Running = Sql.Text(ValidationChunkStatus.Running);

    private static string ReasonCountsJson(ReadOnlySpan<int> counts)
    {
        var map = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var bit = 0; bit < counts.Length; bit++)
            if (counts[bit] > 0) map[((VinRejection)(1 << bit)).FirstCode()!] = counts[bit];
        return JsonSerializer.Serialize(map);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Validation run {RunId} chunk {Chunk}: {Vins} VINs, {Accepted} accepted")]
    private partial void LogChunkDone(long runId, int chunk, int vins, int accepted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Validation run {RunId} chunk {Chunk}: lease of {Worker} expired; another worker finished it")]
    private partial void LogLeaseLost(long runId, int chunk, string worker);
}
