using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.VinLists;

/// <summary>Marks a run completed once, when its last chunk is done, and publishes its task when the run asked for that.</summary>
public sealed class ValidationCompletion(MySqlConnectionFactory connections, IValidatedTaskPublisher publisher, IServiceProvider services, TimeProvider clock)
{
    public async Task<bool> TryCompleteAsync(long runId, CancellationToken ct = default)
    {
        long? publishTask = null;
        await using (var connection = await connections.OpenAsync(ct))
        {
            // A plain read, not a locking subquery of the update: the latter held the run row while waiting for chunk
            // rows that a chunk claim (which waits for the run row) held, a deadlock. Chunks never leave Done and each
            // chunk checks after committing its own, so the last one to finish sees them all done.
            var pending = await Sql.ScalarAsync(connection, null,
                $"SELECT EXISTS (SELECT 1 FROM ota_validation_chunk WHERE run_id = @run AND status <> {Sql.Text(ValidationChunkStatus.Done)})",
                ct, ("@run", runId));
            if (Convert.ToInt64(pending) != 0) return false;
            // Two chunks finishing together both get here, and their updates of the run row can still deadlock with
            // each other or with a claim: retried, and only one of them completes the run.
            var completed = await DeadlockRetry.RunAsync(() => Sql.ExecAsync(connection, null,
                $"""
                UPDATE ota_validation_run SET status = {Sql.Text(ValidationRunStatus.Completed)}, finished_at = @now
                WHERE id = @run AND status = {Sql.Text(ValidationRunStatus.Running)}
                """, ct, ("@now", clock.GetUtcNow().UtcDateTime), ("@run", runId)), ct);
            if (completed != 1) return false;

            if (await Sql.ScalarAsync(connection, null, "SELECT task_id FROM ota_validation_run WHERE id = @run AND publish_when_done = 1",
                    ct, ("@run", runId)) is long taskId)
                publishTask = taskId;
        }
        if (publishTask is { } id) await publisher.PublishValidatedAsync(id, ct);
        // Resolved here: the jobs depend on the chunk processor, which depends on this class.
        services.GetRequiredService<ValidationJobs>().EnqueuePurge(runId);
        return true;
    }
}
