using Hangfire;
using Microsoft.EntityFrameworkCore;
using Ota.Infrastructure.Platform.Jobs;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.VinLists;

/// <summary>
/// The Hangfire side of validation: staging an uploaded list, then one job per chunk. Jobs on several app instances
/// share the chunks; a failed chunk is retried, and the chunk claim keeps a retry from doing the work twice.
/// </summary>
public sealed class ValidationJobs(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, ValidationStaging staging,
    ValidationChunkProcessor processor, IBackgroundJobClient jobs, LocalWorkQueue local)
{
    public const string RecoverStalledChunksJobId = "validation-recover-stalled-chunks";

    [AutomaticRetry(Attempts = 2)]
    [JobDisplayName("Stage VIN list of validation run {0}")]
    public async Task StageFileAsync(long runId, CancellationToken cancellationToken)
    {
        ValidationRun run;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            run = await db.ValidationRuns.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
        if (run.Status != ValidationRunStatus.Staging || run.SourceFile is not { } sourceFile) return;
        try
        {
            run = await staging.StageAsync(runId, run.ToRequest(), VinFileReader.ReadEntries(sourceFile, run.SourceName ?? sourceFile), cancellationToken);
        }
        catch (TabularFileException ex)
        {
            await staging.FailAsync(runId, $"{ex.Code}: {ex.Message}", cancellationToken);
            return;
        }
        finally
        {
            // The staged run no longer names its file, so the path read before staging is the one to delete.
            File.Delete(sourceFile);
        }
        EnqueueChunks(run);
    }

    [AutomaticRetry(Attempts = 5)]
    [JobDisplayName("Validate chunk {1} of validation run {0}")]
    public Task ProcessChunkAsync(long runId, int chunk, CancellationToken cancellationToken) =>
        processor.ProcessAsync(runId, chunk, cancellationToken);

    [AutomaticRetry(Attempts = 3)]
    [JobDisplayName("Purge staged VINs of validation run {0}")]
    public Task PurgeStagedVinsAsync(long runId, CancellationToken cancellationToken) => staging.PurgeAsync(runId, cancellationToken);

    /// <summary>
    /// Hands chunks whose worker died (lease expired while running) to a live worker. Recurring; cheap when there are none.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(60)]
    [JobDisplayName("Recover stalled validation chunks")]
    public async Task RecoverStalledChunksAsync(CancellationToken cancellationToken)
    {
        List<(long RunId, int Chunk)> stalled = [];
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            var leaseClock = await Lease.ClockAsync(connection, null, cancellationToken);
            await using var command = Sql.Command(connection, null,
                $"""
                SELECT run_id, chunk FROM ota_validation_chunk
                WHERE status = {Sql.Text(ValidationChunkStatus.Running)} AND {Lease.Expired()}
                ORDER BY lease_until LIMIT 1000
                """, leaseClock);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) stalled.Add((reader.GetInt64(0), reader.GetInt32(1)));
        }
        foreach (var (runId, chunk) in stalled)
            jobs.Enqueue<ValidationJobs>(j => j.ProcessChunkAsync(runId, chunk, CancellationToken.None));
    }

    public void EnqueueChunks(ValidationRun run)
    {
        if (run.Status != ValidationRunStatus.Running) return;
        var storageDown = false;
        for (var chunk = 0; chunk < run.ChunkCount; chunk++)
        {
            var c = chunk;
            Task Here(CancellationToken ct) => processor.ProcessAsync(run.Id, c, ct);
            // Once Hangfire's storage has failed, the remaining chunks go straight to this instance.
            if (storageDown) local.RunHere($"validation run {run.Id} chunk {c}", Here);
            else storageDown = !local.EnqueueOrRunHere($"validation run {run.Id} chunk {c}",
                () => jobs.Enqueue<ValidationJobs>(j => j.ProcessChunkAsync(run.Id, c, CancellationToken.None)), Here);
        }
    }

    public void EnqueueStaging(long runId) =>
        local.EnqueueOrRunHere($"validation run {runId} staging",
            () => jobs.Enqueue<ValidationJobs>(j => j.StageFileAsync(runId, CancellationToken.None)),
            ct => StageFileAsync(runId, ct));

    public void EnqueuePurge(long runId) =>
        local.EnqueueOrRunHere($"validation run {runId} purge",
            () => jobs.Enqueue<ValidationJobs>(j => j.PurgeStagedVinsAsync(runId, CancellationToken.None)),
            ct => staging.PurgeAsync(runId, ct));
}
