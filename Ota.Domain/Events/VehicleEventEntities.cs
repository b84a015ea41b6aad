namespace Ota.Domain.Events;

/// <summary>A notice sent to a vehicle (ota_vehicle_download_notice).</summary>
public class DownloadNotice
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public string Vin { get; set; } = "";
    public long? PackageId { get; set; }
    public string Version { get; set; } = "";
    public TaskType UpgradeType { get; set; }
    public string MessageId { get; set; } = "";
    public NoticeKind Kind { get; set; }
    public int ResendCount { get; set; }
    public DateTime SentAt { get; set; }
}

/// <summary>Every vehicle event id seen, so a repeated report is recognised and changes nothing.</summary>
public class VehicleEventReceipt
{
    public string EventId { get; set; } = "";
    public string Vin { get; set; } = "";
    public VehicleEventType Type { get; set; }
    public DateTime ReceivedAt { get; set; }
}

/// <summary>Fields every stored vehicle event has.</summary>
public abstract class VehicleEventBase
{
    public long Id { get; set; }
    public string EventId { get; set; } = "";
    public string Vin { get; set; } = "";
    public long? TaskId { get; set; }
    public string? MessageId { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
}

public class DownloadProgressEvent : VehicleEventBase
{
    public long? PackageId { get; set; }
    public string EcuCode { get; set; } = "";
    public long BytesDownloaded { get; set; }
    public long TotalBytes { get; set; }
}

public class UpgradeProgressEvent : VehicleEventBase
{
    public string EcuCode { get; set; } = "";
    public string Step { get; set; } = "";
    public int Percent { get; set; }
}

/// <summary>ota_vehicle_upgrade_status: the reports that drive the follow-up actions.</summary>
public class UpgradeStatusEvent : VehicleEventBase
{
    public UpgradeState State { get; set; }
    public TriggerType TriggerType { get; set; }
    public ErrorType? ErrorType { get; set; }
    public string? InnerErrorCode { get; set; }
    public string? Version { get; set; }
}

public class UpgradeCommandEvent : VehicleEventBase
{
    public UpgradeCommandType Command { get; set; }
    public DateTime? ScheduledFor { get; set; }
}

public class EepromClearEvent : VehicleEventBase
{
    public string EcuCode { get; set; } = "";
    public string Result { get; set; } = "";
    public byte[] Data { get; set; } = [];
    public string Sha256 { get; set; } = "";
}

/// <summary>
/// The newest upgrade status of each vehicle (one row per VIN), kept beside ota_vehicle_upgrade_status so that
/// validating a million VINs joins on a key instead of searching each VIN's history.
/// </summary>
public class VehicleLatestStatus
{
    public string Vin { get; set; } = "";
    public long StatusId { get; set; }
    public long? TaskId { get; set; }
    public UpgradeState State { get; set; }
    public TriggerType TriggerType { get; set; }
    public ErrorType? ErrorType { get; set; }
    public DateTime ReportedAt { get; set; }
}
