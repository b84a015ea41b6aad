namespace Ota.Domain.Tasks;

/// <summary>One VIN in one task (ota_task_vin), keyed by (task id, VIN).</summary>
public class TaskVin
{
    public long TaskId { get; set; }
    public string Vin { get; set; } = "";
    public TaskVinState State { get; set; } = TaskVinState.Pending;
    /// <summary>Space-separated reason codes from the latest validation of this VIN (empty when accepted).</summary>
    public string? VerdictCodes { get; set; }
    public bool IsResend { get; set; }
    /// <summary>The rollout group it falls in, fixed at publish (0 for a task without a plan).</summary>
    public byte RolloutGroup { get; set; }
    public int ResendCount { get; set; }
    public string? MessageId { get; set; }
    public DateTime? NotifiedAt { get; set; }
    /// <summary>The app instance that claimed this VIN for sending, and until when its claim holds.</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public bool IsDelete { get; set; }
    /// <summary>The task whose creation cancelled this not-started task-VIN.</summary>
    public long? SupersededByTaskId { get; set; }
    public ErrorType? ErrorType { get; set; }
    /// <summary>Why compensation or an operator closed this VIN.</summary>
    public string? CloseReason { get; set; }
    /// <summary>Set when an operator cancels a VIN the vehicle may already have been told about; Sent once the broker took the cancel notice.</summary>
    public CancelNoticeState? CancelNotice { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    /// <summary>Who made the latest change an operator would ask about (a user for cancellations, "push" or "compensation" for the jobs).</summary>
    public string? UpdatedBy { get; set; }
}
