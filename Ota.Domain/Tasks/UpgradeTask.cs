namespace Ota.Domain.Tasks;

/// <summary>An upgrade task (campaign): ota_task. Its status changes by the rules of <see cref="TaskLifecycle"/>.</summary>
public class UpgradeTask
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public TaskType Type { get; set; }
    public TaskSource Source { get; set; }
    public long SeriesModelId { get; set; }
    public string TargetVersion { get; set; } = "";
    public Generation Generation { get; set; }
    /// <summary>The resolved package: an OTA1 full package id or an OTA2 package id, by <see cref="Generation"/>.</summary>
    public long? PackageId { get; set; }
    public UpgradeTaskStatus Status { get; private set; } = UpgradeTaskStatus.Draft;
    /// <summary>Higher is sent first.</summary>
    public int Priority { get; set; }
    public DateTime? ScheduledAt { get; set; }
    /// <summary>JSON; Sampling tasks keep their own strategy here (full package, no version compare).</summary>
    public string? ExtensionInfo { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public DateTime? PublishedAt { get; private set; }
    /// <summary>Who published it: the operator, or for a task published when its validation ended, who asked for that.</summary>
    public string? PublishedBy { get; private set; }
    /// <summary>Four-eyes publishing: who asked for the task to be published, when, and from when it is to be sent.</summary>
    public string? PublishRequestedBy { get; private set; }
    public DateTime? PublishRequestedAt { get; private set; }
    public DateTime? PublishRequestedFor { get; private set; }
    /// <summary>The second operator who approved the publishing, when four-eyes publishing applied.</summary>
    public string? PublishApprovedBy { get; private set; }
    public DateTime? ExecutedAt { get; private set; }
    public DateTime? CancelledAt { get; private set; }

    public bool IsFormal => Type != TaskType.Test;

    public void Publish(DateTime now, string by)
    {
        Move(TaskChange.Publish);
        PublishedAt = now;
        PublishedBy = by;
        ScheduledAt ??= now;
    }

    public bool AwaitsApproval => PublishRequestedBy is not null && PublishApprovedBy is null && Status == UpgradeTaskStatus.Draft;

    /// <summary>Asks for a second operator's approval before the draft is published (<see cref="FourEyes"/>).</summary>
    public void RequestPublish(DateTime now, string by, DateTime? sendFrom)
    {
        if (!TaskLifecycle.Allows(TaskChange.Publish, Status))
            throw new InvalidOperationException($"Only a draft can be put up for approval; this task is {Status}.");
        PublishRequestedBy = by;
        PublishRequestedAt = now;
        PublishRequestedFor = sendFrom;
    }

    /// <summary>Publishes a draft put up for approval: published by who asked, approved by <paramref name="approver"/>.</summary>
    public void ApprovePublish(DateTime now, string approver)
    {
        if (!AwaitsApproval) throw new InvalidOperationException("The task does not await an approval.");
        if (FourEyes.WhyNotApprover(PublishRequestedBy!, approver) is { } why) throw new InvalidOperationException(why);
        if (PublishRequestedFor is { } at) ScheduledAt = at;
        Publish(now, PublishRequestedBy!);
        PublishApprovedBy = approver;
    }

    public void MarkValidating() => Move(TaskChange.Validate);

    /// <summary>Every VIN has been notified; a task that is not being sent (any more) stays as it is.</summary>
    public void MarkExecuted(DateTime now)
    {
        if (!TaskLifecycle.Allows(TaskChange.Execute, Status)) return;
        Move(TaskChange.Execute);
        ExecutedAt = now;
    }

    /// <summary>Cancels the task; cancelling a cancelled task changes nothing.</summary>
    public void Cancel(DateTime now)
    {
        if (Status == UpgradeTaskStatus.Cancelled) return;
        Move(TaskChange.Cancel);
        CancelledAt = now;
    }

    private void Move(TaskChange change)
    {
        if (!TaskLifecycle.Allows(change, Status))
            throw new InvalidOperationException(
                $"{change} does not apply to a {Status} task, only to {string.Join(", ", TaskLifecycle.From(change).Order())} ones.");
        Status = TaskLifecycle.To(change);
    }
}
