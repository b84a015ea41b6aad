using Ota.Domain;
using Ota.Infrastructure.Platform.Auditing;

namespace Ota.Infrastructure.VinLists;

public enum ValidationMode
{
    /// <summary>Judge the VINs and keep the verdicts; create nothing (open API verify).</summary>
    Verify,
    /// <summary>Judge the VINs and create task-VIN rows for the accepted ones in the run's task.</summary>
    Create,
}

public enum ValidationRunStatus
{
    /// <summary>The list is being read and staged.</summary>
    Staging,
    /// <summary>Chunks are being validated.</summary>
    Running,
    /// <summary>Every chunk is done; verdicts (and task-VINs) are stored.</summary>
    Completed,
    /// <summary>A task-level rule failed (package, strategy, empty list): no VIN was judged.</summary>
    Rejected,
    /// <summary>The list could not be read or an unexpected error stopped the run.</summary>
    Failed,
}

public enum ValidationChunkStatus { Pending, Running, Done }

/// <summary>One validation of one VIN list against one task definition, with its progress (ota_validation_run).</summary>
public class ValidationRun
{
    public long Id { get; set; }
    public long? TaskId { get; set; }
    public ValidationMode Mode { get; set; }
    public TaskType TaskType { get; set; }
    public TaskSource Source { get; set; }
    public long SeriesModelId { get; set; }
    public string TargetVersion { get; set; } = "";
    public ValidationRunStatus Status { get; set; }
    /// <summary>Entries read from the list, including blanks, duplicates and malformed ones.</summary>
    public int TotalEntries { get; set; }
    public int DistinctVins { get; set; }
    public int Malformed { get; set; }
    public int Duplicates { get; set; }
    public int ChunkSize { get; set; }
    public int ChunkCount { get; set; }
    /// <summary>Task-level failure codes, space-separated, first one first.</summary>
    public string? TaskCodes { get; set; }
    public string? TaskDetails { get; set; }
    public string? Error { get; set; }
    /// <summary>The uploaded file being read, while the run is staging.</summary>
    public string? SourceFile { get; set; }
    public string? SourceName { get; set; }
    /// <summary>Publish the task as soon as the run completes (open API publish).</summary>
    public bool PublishWhenDone { get; set; }
    /// <summary>The task to create with the accepted VINs (Create mode): its name, priority and schedule.</summary>
    public string? TaskName { get; set; }
    public int TaskPriority { get; set; }
    public DateTime? TaskScheduledAt { get; set; }
    /// <summary>The task's rollout plan as JSON, kept until the task is created.</summary>
    public string? TaskRollout { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>The request this run was started with, for the job that stages it later.</summary>
    public ValidationRequest ToRequest() => new(TaskType, Source, SeriesModelId, TargetVersion, CreatedBy)
    {
        Task = TaskName is null ? null : new TaskSpec(TaskName, TaskPriority, TaskScheduledAt,
            TaskRollout is null ? null : Ota.Domain.Tasks.Rollouts.RolloutPlan.FromJson(TaskRollout)),
        PublishWhenDone = PublishWhenDone,
    };
}

/// <summary>A slice of a run's VINs that one worker validates at a time (ota_validation_chunk).</summary>
public class ValidationChunk : IUnaudited
{
    public long RunId { get; set; }
    public int Chunk { get; set; }
    public ValidationChunkStatus Status { get; set; }
    public int Vins { get; set; }
    public int Accepted { get; set; }
    /// <summary>JSON object: reason code → number of VINs of this chunk rejected with it.</summary>
    public string? ReasonCounts { get; set; }
    public int Attempts { get; set; }
    public string? ClaimedBy { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>A distinct, well-formed VIN of a run, staged for set-based joins (ota_validation_vin).</summary>
public class ValidationVin : IUnaudited
{
    public long RunId { get; set; }
    public int Chunk { get; set; }
    public string Vin { get; set; } = "";
}

/// <summary>A rejected entry of a run with every reason code (ota_validation_rejection).</summary>
public class ValidationRejection : IUnaudited
{
    public long Id { get; set; }
    public long RunId { get; set; }
    /// <summary>The entry as it was given (malformed ones) or the normalised VIN.</summary>
    public string Entry { get; set; } = "";
    public string? Vin { get; set; }
    /// <summary>Reason codes, space-separated.</summary>
    public string Codes { get; set; } = "";
}
