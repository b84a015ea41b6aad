using Ota.Domain.Operations;

namespace Ota.Infrastructure.FollowUps;

/// <summary>What a follow-up row is for: deciding a status report's actions, or one of the actions of SPEC §7 items 1–8.</summary>
public enum FollowUpStep
{
    /// <summary>A stored UpgradeStatus report waiting for its actions to be decided (the outbox entry written with the report).</summary>
    Decide,
    OperationsAssistantMessage,
    WorkOrder,
    LogReadBack,
    FlagForResend,
    CannotCompensate,
    RecordErrorTypeOnTaskVin,
    MobilePush,
    FirmwareVersionUpdate,
    PublishToStream,
    FactoryGroupMessage,
}

public enum FollowUpState
{
    /// <summary>To be carried out (again) at <see cref="FollowUp.NextAttemptAt"/>.</summary>
    Pending,
    Done,
    /// <summary>Decided but not carried out, with why in <see cref="FollowUp.Detail"/> (e.g. the VIN is no longer eligible for a resend).</summary>
    Skipped,
    /// <summary>Given up after the configured number of attempts; <see cref="FollowUp.LastError"/> says why.</summary>
    Failed,
}

/// <summary>
/// One follow-up of one UpgradeStatus report (ota_follow_up): the work queue of the follow-up worker and the record the
/// console shows ("what happened after this report"). Outgoing messages are also <see cref="Notification"/> rows, which
/// carry their delivery status and attempts for the notification centre.
/// </summary>
public class FollowUp
{
    public long Id { get; set; }
    /// <summary>The report: ota_vehicle_upgrade_status.id.</summary>
    public long StatusId { get; set; }
    public string Vin { get; set; } = "";
    /// <summary>The task the report was found to belong to (for Decide rows: as reported).</summary>
    public long? TaskId { get; set; }
    public FollowUpStep Step { get; set; }
    public FollowUpState State { get; set; }
    /// <summary>What was done, in words for an operator.</summary>
    public string? Detail { get; set; }
    /// <summary>What a delivery needs beyond the notification (JSON), e.g. the log window or the stream entry.</summary>
    public string? Payload { get; set; }
    public long? NotificationId { get; set; }
    public Notification? Notification { get; set; }
    public long? WorkOrderId { get; set; }
    public WorkOrder? WorkOrder { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTime NextAttemptAt { get; set; }
    /// <summary>The instance working on this row, and until when its claim holds (a crashed instance's rows are taken over after).</summary>
    public string? ClaimedBy { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DoneAt { get; set; }
}
