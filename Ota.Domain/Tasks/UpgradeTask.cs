namespace Ota.Domain.Tasks;

/// <summary>An upgrade task (campaign): ota_task.</summary>
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
    public DateTime? ExecutedAt { get; private set; }
    public DateTime? CancelledAt { get; private set; }

    public bool IsFormal => Type != TaskType.Test;

    public void Publish(DateTime now)
    {
        if (Status is UpgradeTaskStatus.Cancelled or UpgradeTaskStatus.Executed)
            throw new InvalidOperationException($"A {Status} task cannot be published.");
        Status = UpgradeTaskStatus.Published;
        PublishedAt = now;
        ScheduledAt ??= now;
    }

    public void MarkValidating() => Status = UpgradeTaskStatus.Validating;

    public void MarkExecuted(DateTime now)
    {
        if (Status != UpgradeTaskStatus.Published) return;
        Status = UpgradeTaskStatus.Executed;
        ExecutedAt = now;
    }

    public void Cancel(DateTime now)
    {
        if (Status == UpgradeTaskStatus.Cancelled) return;
        Status = UpgradeTaskStatus.Cancelled;
        CancelledAt = now;
    }
}
