using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.VinLists;

/// <summary>
/// The one entry point for validating VIN lists, used by the open API, the console and the benchmark: in-process
/// (the caller waits for the verdicts) or in the background (chunks as Hangfire jobs, progress readable meanwhile).
/// </summary>
public sealed class TaskValidationService(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, ValidationStaging staging,
    ValidationChunkProcessor processor, ValidationJobs jobs,
    IOptions<ValidationOptions> options, IOptions<OtaOptions> ota)
{
    /// <summary>Validates the list in this process and returns when every verdict is stored.</summary>
    public async Task<ValidationProgress> ValidateNowAsync(ValidationRequest request, IEnumerable<string?> entries, CancellationToken ct = default)
    {
        var run = await staging.StartAsync(request, entries, ct);
        if (run.Status == ValidationRunStatus.Running)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, run.ChunkCount),
                new ParallelOptions { MaxDegreeOfParallelism = options.Value.InlineParallelism, CancellationToken = ct },
                async (chunk, token) => await processor.ProcessAsync(run.Id, chunk, token));
        }
        return await GetProgressAsync(run.Id, ct);
    }

    /// <summary>Stages the list now and validates its chunks as background jobs.</summary>
    public async Task<long> StartInBackgroundAsync(ValidationRequest request, IEnumerable<string?> entries, CancellationToken ct = default)
    {
        var run = await staging.StartAsync(request, entries, ct);
        jobs.EnqueueChunks(run);
        return run.Id;
    }

    /// <summary>Keeps an uploaded list in the data folder and reads, stages and validates it in background jobs.</summary>
    public async Task<long> StartFromUploadAsync(ValidationRequest request, Stream upload, string fileName, CancellationToken ct = default)
    {
        var path = await KeepAsync(fileName, (file, token) => upload.CopyToAsync(file, token), ct);
        return await StartFromKeptAsync(request, path, fileName, ct);
    }

    /// <summary>Writes a list (an upload, a selection from the registry) into the data folder, where the staging job reads it; returns its path.</summary>
    public async Task<string> KeepAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        var folder = Path.Combine(ota.Value.DataFolder, "uploads");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}{Path.GetExtension(fileName).ToLowerInvariant()}");
        await using (var file = File.Create(path))
            await write(file, ct);
        return path;
    }

    /// <summary>Reads, stages and validates a list kept by <see cref="KeepAsync"/> in background jobs.</summary>
    public async Task<long> StartFromKeptAsync(ValidationRequest request, string path, string fileName, CancellationToken ct = default)
    {
        var run = await staging.CreatePendingAsync(request, path, fileName, ct);
        jobs.EnqueueStaging(run.Id);
        return run.Id;
    }

    public async Task<ValidationProgress> GetProgressAsync(long runId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.ValidationRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        var chunks = await db.ValidationChunks.AsNoTracking().Where(c => c.RunId == runId && c.Status == ValidationChunkStatus.Done)
            .Select(c => new { c.Vins, c.Accepted, c.ReasonCounts }).ToListAsync(ct);
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        void Add(string code, int n)
        {
            if (n > 0) reasons[code] = reasons.GetValueOrDefault(code) + n;
        }
        Add(Domain.ReasonCodes.VinMalformed, run.Malformed);
        Add(Domain.ReasonCodes.VinDuplicate, run.Duplicates);
        foreach (var chunk in chunks)
            foreach (var (code, n) in JsonSerializer.Deserialize<Dictionary<string, int>>(chunk.ReasonCounts ?? "{}") ?? [])
                Add(code, n);
        var done = chunks.Sum(c => c.Vins);
        var accepted = chunks.Sum(c => c.Accepted);
        return new ValidationProgress(run.Id, run.TaskId, run.Status, run.TotalEntries, run.DistinctVins, run.ChunkCount, chunks.Count,
            done, accepted, done - accepted + run.Malformed + run.Duplicates, reasons,
            run.TaskCodes?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [], run.TaskDetails, run.Error);
    }

    /// <summary>The rejected entries with their codes, streamed in the order they were found.</summary>
    public async IAsyncEnumerable<(string Entry, string[] Codes)> ReadRejectionsAsync(long runId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand("SELECT entry, codes FROM ota_validation_rejection WHERE run_id = @run ORDER BY id", connection);
        command.Parameters.AddWithValue("@run", runId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return (reader.GetString(0), reader.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
