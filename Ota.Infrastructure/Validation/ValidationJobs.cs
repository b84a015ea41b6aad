using Hangfire;
using Microsoft.EntityFrameworkCore;
using Ota.Infrastructure.Import.Tabular;
using Ota.Infrastructure.Persistence;

namespace Ota.Infrastructure.Validation;

/// <summary>
/// The Hangfire side of validation: staging an uploaded list, then one job per chunk. Jobs on several app instances
/// share the chunks; a failed chunk is retried, and the chunk claim keeps a retry from doing the work twice.
/// </summary>
public sealed class ValidationJobs(
    IDbContextFactory<OtaDbContext> contexts, ValidationStaging staging, ValidationChunkProcessor processor, IBackgroundJobClient jobs)
{
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

    public void EnqueueChunks(ValidationRun run)
    {
        if (run.Status != ValidationRunStatus.Running) return;
        for (var chunk = 0; chunk < run.ChunkCount; chunk++)
        {
            var c = chunk;
            jobs.Enqueue<ValidationJobs>(j => j.ProcessChunkAsync(run.Id, c, CancellationToken.None));
        }
    }
}
