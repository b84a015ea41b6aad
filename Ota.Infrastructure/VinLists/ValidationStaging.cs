using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;

namespace Ota.Infrastructure.VinLists;

/// <summary>
/// Starts a validation run: reads the list once (duplicates and malformed entries found on the way), runs the
/// task-level phases, creates the task when asked, and stages the distinct VINs in bulk, split into chunks.
/// </summary>
public sealed class ValidationStaging(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, TaskFactsReader taskFacts,
    IOptions<ValidationOptions> options, TimeProvider clock)
{
    private static readonly BulkColumn<(long Run, int Chunk, string Vin)>[] VinColumns =
    [
        new("run_id", typeof(long), r => r.Run),
        new("chunk", typeof(int), r => r.Chunk),
        new("vin", typeof(string), r => r.Vin),
    ];

    internal static readonly BulkColumn<(long Run, string Entry, string? Vin, string Codes)>[] RejectionColumns =
    [
        new("run_id", typeof(long), r => r.Run),
        new("entry", typeof(string), r => r.Entry), // already cut to VinListIntake.MaxReportedLength, the column's length
        new("vin", typeof(string), r => r.Vin),
        new("codes", typeof(string), r => r.Codes),
    ];

    /// <summary>Creates a run that waits for its list (an uploaded file being read by a background job).</summary>
    public async Task<ValidationRun> CreatePendingAsync(ValidationRequest request, string sourceFile, string sourceName, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = NewRun(request);
        run.SourceFile = sourceFile;
        run.SourceName = sourceName;
        db.ValidationRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return run;
    }

    /// <summary>A list longer than <see cref="ValidationOptions.MaxEntries"/>; the run fails with this code and stages nothing.</summary>
    public const string CodeListTooLong = "VIN_LIST_TOO_LONG";

    /// <summary>Reads the list, judges the task, creates the task if asked, and stages the VINs of a new run.</summary>
    public async Task<ValidationRun> StartAsync(ValidationRequest request, IEnumerable<string?> entries, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = NewRun(request);
        db.ValidationRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return await StageAsync(run.Id, request, entries, ct);
    }

    /// <summary>Stages a run created earlier (by <see cref="CreatePendingAsync"/>) from its list.</summary>
    public async Task<ValidationRun> StageAsync(long runId, ValidationRequest request, IEnumerable<string?> entries, CancellationToken ct = default)
    {
        var limit = options.Value.MaxEntries;
        var intake = new VinListIntake();
        foreach (var entry in entries)
        {
            intake.Add(entry);
            if (intake.EntryCount > limit)
                return await FailAsync(runId, $"{CodeListTooLong}: The list has more than {limit:N0} entries; split it into several tasks.", ct);
        }

        var facts = await taskFacts.ReadAsync(request.Type, request.Source, request.SeriesModelId, request.TargetVersion, ct);
        var verdict = facts.Verdict(intake.DistinctCount);

        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.ValidationRuns.SingleAsync(r => r.Id == runId, ct);
        run.TotalEntries = intake.EntryCount;
        run.DistinctVins = intake.DistinctCount;
        run.Malformed = intake.Malformed.Count;
        run.Duplicates = intake.Duplicates.Count;
        if (!verdict.IsValid)
        {
            run.Status = ValidationRunStatus.Rejected;
            run.TaskCodes = string.Join(' ', verdict.Codes);
            run.TaskDetails = string.Join("\n", verdict.Failures.Select(f => $"{f.Code}: {f.Detail}"));
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            run.SourceFile = null;
            await db.SaveChangesAsync(ct);
            return run;
        }

        if (request.Task is { } spec) run.TaskId = await CreateTaskAsync(db, request, spec, facts, ct);

        var size = options.Value.ChunkSize;
        run.ChunkSize = size;
        run.ChunkCount = (intake.DistinctCount + size - 1) / size;
        await StageVinsAsync(run, intake, ct);
        run.Status = ValidationRunStatus.Running;
        run.SourceFile = null;
        await db.SaveChangesAsync(ct);
        return run;
    }

    public async Task<ValidationRun> FailAsync(long runId, string error, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var run = await db.ValidationRuns.SingleAsync(r => r.Id == runId, ct);
        run.Status = ValidationRunStatus.Failed;
        run.Error = error;
        run.SourceFile = null;
        run.FinishedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return run;
    }

    /// <summary>Deletes a finished run's staged VINs (its verdicts and task-VINs stay), a slice at a time to keep locks short.</summary>
    public async Task PurgeAsync(long runId, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        while (true)
        {
            await using var delete = new MySqlCommand("DELETE FROM ota_validation_vin WHERE run_id = @run LIMIT 50000", connection);
            delete.Parameters.AddWithValue("@run", runId);
            if (await delete.ExecuteNonQueryAsync(ct) == 0) return;
        }
    }

    private ValidationRun NewRun(ValidationRequest request) => new()
    {
        Mode = request.Task is null ? ValidationMode.Verify : ValidationMode.Create,
        TaskType = request.Type,
        Source = request.Source,
        SeriesModelId = request.SeriesModelId,
        TargetVersion = request.TargetVersion.Trim(),
        Status = ValidationRunStatus.Staging,
        PublishWhenDone = request.PublishWhenDone,
        TaskName = request.Task?.Name,
        TaskPriority = request.Task?.Priority ?? 0,
        TaskScheduledAt = request.Task?.ScheduledAt,
        TaskRollout = request.Task?.Rollout?.ToJson(),
        CreatedBy = request.RequestedBy,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    private async Task<long> CreateTaskAsync(OtaDbContext db, ValidationRequest request, TaskSpec spec, TaskFacts facts, CancellationToken ct)
    {
        var task = new UpgradeTask
        {
            Name = spec.Name.Trim(),
            Type = request.Type,
            Source = request.Source,
            SeriesModelId = request.SeriesModelId,
            TargetVersion = facts.Definition.TargetVersion,
            Generation = facts.Definition.TargetGeneration!.Value,
            PackageId = facts.PackageId,
            Priority = spec.Priority,
            ScheduledAt = spec.ScheduledAt,
            CreatedBy = request.RequestedBy,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        // A sampling task carries its own strategy (full package, no version compare) instead of a strategy row.
        var info = new TaskExtensionInfo { Rollout = spec.Rollout };
        if (request.Type == TaskType.Sampling && SamplingStrategy.From(facts.Strategies) is { } sampling) info.SamplingStrategy = sampling;
        if (info.SamplingStrategy is not null || info.Rollout is not null) task.ExtensionInfo = TaskExtensionInfo.Serialize(info);
        db.Tasks.Add(task);
        await db.SaveChangesAsync(ct);
        return task.Id;
    }

    private async Task StageVinsAsync(ValidationRun run, VinListIntake intake, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var size = run.ChunkSize;
        var vins = intake.DistinctVins;
        await BulkLoader.LoadAsync(connection, tx, "ota_validation_vin",
            Enumerable.Range(0, vins.Count).Select(i => (run.Id, i / size, vins[i])), VinColumns, ct);
        await BulkLoader.LoadAsync(connection, tx, "ota_validation_rejection",
            intake.ListRejected().Select(r => (run.Id, r.Entry, r.Rejection == VinRejection.Duplicate ? r.Entry : (string?)null, r.Rejection.ToVerdictText())),
            RejectionColumns, ct);
        await using (var chunks = new MySqlCommand(
            $"""
            INSERT INTO ota_validation_chunk (run_id, chunk, status, vins, accepted, attempts)
            SELECT @run, chunk, {Sql.Text(ValidationChunkStatus.Pending)}, COUNT(*), 0, 0 FROM ota_validation_vin WHERE run_id = @run GROUP BY chunk
            """, connection, tx))
        {
            chunks.Parameters.AddWithValue("@run", run.Id);
            await chunks.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
