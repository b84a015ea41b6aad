namespace Ota.Domain.Tasks.Rollouts;

/// <summary>
/// A task's rollout as it runs (ota_task_rollout): its plan (null for a task published without one, which gets a row
/// only to keep a pause's reason), how many groups are open, the notice rate now, and why it is paused.
/// </summary>
public class TaskRollout
{
    public long TaskId { get; set; }
    /// <summary>The plan as JSON (<see cref="RolloutPlan.ToJson"/>); null when the task has none.</summary>
    public string? Plan { get; set; }
    /// <summary>The push claims only VINs whose group index is below this.</summary>
    public int OpenedGroups { get; set; }
    /// <summary>The notices a minute allowed now (the ramp applied); null sends as fast as the push can.</summary>
    public int? NoticesPerMinute { get; set; }
    public string? PauseCode { get; set; }
    public string? PauseGroup { get; set; }
    public string? PauseDetail { get; set; }
    public DateTime? PausedAt { get; set; }
    public string? PausedBy { get; set; }
    public DateTime? EvaluatedAt { get; set; }
}

/// <summary>One group of a task's rollout (ota_task_rollout_group), keyed by (task id, index).</summary>
public class TaskRolloutGroup
{
    public long TaskId { get; set; }
    public int GroupIndex { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The task-VINs assigned to it at publish.</summary>
    public int Size { get; set; }
    public DateTime? OpenedAt { get; set; }
    /// <summary>When it reached its success threshold (its soak time runs from here).</summary>
    public DateTime? ReachedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTime? ApprovedAt { get; set; }
    /// <summary>Its failed VINs when an operator last resumed the task: only a failure beyond these pauses it again.</summary>
    public int FailedAtResume { get; set; }

    public GroupGate Gate => new(OpenedAt, ReachedAt, ApprovedAt, FailedAtResume);
}
