using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Infrastructure.Persistence;
using Ota.Infrastructure.Tasks;

namespace Ota.Infrastructure.Validation;

/// <summary>Marks a run completed once, when its last chunk is done, and publishes its task when the run asked for that.</summary>
public sealed class ValidationCompletion(MySqlConnectionFactory connections, TaskPublisher publisher, IServiceProvider services, TimeProvider clock)
{
    public async Task<bool> TryCompleteAsync(long runId, CancellationToken ct = default)
    {
        long? publishTask = null;
        await using (var connection = await connections.OpenAsync(ct))
        {
            // A plain read, not a locking subquery of the update: the latter held the run row while waiting for chunk
            // rows that a chunk claim (which waits for the run row) held, a deadlock. Chunks never leave Done and each
            // chunk checks after committing its own, so the last one to finish sees them all done.
            await using (var pending = new MySqlCommand(
                "SELECT EXISTS (SELECT 1 FROM ota_validation_chunk WHERE run_id = @run AND status <> 'Done')", connection))
            {
                pending.Parameters.AddWithValue("@run", runId);
                if (Convert.ToInt64(await pending.ExecuteScalarAsync(ct)) != 0) return false;
            }
            await using var complete = new MySqlCommand(
                "UPDATE ota_validation_run SET status = 'Completed', finished_at = @now WHERE id = @run AND status = 'Running'", connection);
            complete.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
            complete.Parameters.AddWithValue("@run", runId);
            if (await complete.ExecuteNonQueryAsync(ct) != 1) return false;

            await using var read = new MySqlCommand("SELECT task_id FROM ota_validation_run WHERE id = @run AND publish_when_done = 1", connection);
            read.Parameters.AddWithValue("@run", runId);
            if (await read.ExecuteScalarAsync(ct) is long taskId) publishTask = taskId;
        }
        if (publishTask is { } id) await publisher.PublishAsync(id, null, "system", ct);
        // Resolved here: the jobs depend on the chunk processor, which depends on this class.
        services.GetRequiredService<ValidationJobs>().EnqueuePurge(runId);
        return true;
    }
}
