using Ota.Domain;
using Ota.Domain.Tasks.Rollouts;

namespace Ota.Infrastructure.VinLists;

/// <summary>What to validate a VIN list against, and whether to create a task with the accepted VINs.</summary>
public sealed record ValidationRequest(TaskType Type, TaskSource Source, long SeriesModelId, string TargetVersion, string RequestedBy)
{
    /// <summary>When set, a task is created (Draft) with the accepted VINs; otherwise the run only judges.</summary>
    public TaskSpec? Task { get; init; }

    /// <summary>Publish the created task as soon as validation completes (open API publish).</summary>
    public bool PublishWhenDone { get; init; }
}

/// <summary>The task to create with the accepted VINs.</summary>
/// <param name="Rollout">The rollout plan (SPEC §12), checked already; null releases every VIN at once.</param>
public sealed record TaskSpec(string Name, int Priority, DateTime? ScheduledAt, RolloutPlan? Rollout = null);
