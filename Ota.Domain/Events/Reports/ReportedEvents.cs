namespace Ota.Domain.Events.Reports;

/// <summary>The fields every reported event has.</summary>
/// <param name="Index">Position of the event in the request's <c>events</c> array.</param>
/// <param name="EventId">The event's UUID, lower-case with hyphens, so the same id in another spelling is still a duplicate.</param>
public sealed record ReportedEventHeader(int Index, string EventId, DateTimeOffset OccurredAt, long? TaskId, string? MessageId);

/// <summary>A well-formed event of a vehicle's report, typed by its <see cref="Type"/>.</summary>
public abstract record ReportedEvent
{
    protected ReportedEvent(ReportedEventHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        (Index, EventId, OccurredAt, TaskId, MessageId) =
            (header.Index, header.EventId, header.OccurredAt, header.TaskId, header.MessageId);
    }

    public abstract VehicleEventType Type { get; }
    public int Index { get; init; }
    public string EventId { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public long? TaskId { get; init; }
    public string? MessageId { get; init; }
}

public sealed record ReportedDownloadProgress : ReportedEvent
{
    public ReportedDownloadProgress(ReportedEventHeader header) : base(header) { }

    public override VehicleEventType Type => VehicleEventType.DownloadProgress;
    public long? PackageId { get; init; }
    public required string EcuCode { get; init; }
    public required long BytesDownloaded { get; init; }
    public required long TotalBytes { get; init; }
}

public sealed record ReportedUpgradeProgress : ReportedEvent
{
    public ReportedUpgradeProgress(ReportedEventHeader header) : base(header) { }

    public override VehicleEventType Type => VehicleEventType.UpgradeProgress;
    public required string EcuCode { get; init; }
    public required string Step { get; init; }
    public required int Percent { get; init; }
}

public sealed record ReportedUpgradeStatus : ReportedEvent
{
    public ReportedUpgradeStatus(ReportedEventHeader header) : base(header) { }

    public override VehicleEventType Type => VehicleEventType.UpgradeStatus;
    public required UpgradeState State { get; init; }
    public required TriggerType TriggerType { get; init; }
    public ErrorType? ErrorType { get; init; }
    public string? InnerErrorCode { get; init; }
    /// <summary>The firmware version the vehicle reports; a valid dotted version when present.</summary>
    public string? Version { get; init; }
}

public sealed record ReportedUpgradeCommand : ReportedEvent
{
    public ReportedUpgradeCommand(ReportedEventHeader header) : base(header) { }

    public override VehicleEventType Type => VehicleEventType.UpgradeCommand;
    public required UpgradeCommandType Command { get; init; }
    /// <summary>Present for <see cref="UpgradeCommandType.ScheduleUpgrade"/>, optional otherwise.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
}

public sealed record ReportedEepromClear : ReportedEvent
{
    public ReportedEepromClear(ReportedEventHeader header) : base(header) { }

    public override VehicleEventType Type => VehicleEventType.EepromClear;
    public required string EcuCode { get; init; }
    public required string Result { get; init; }
    /// <summary>The decoded data; its SHA-256 has been checked against <see cref="Sha256"/>.</summary>
    public required byte[] Data { get; init; }
    /// <summary>Lower-case hex.</summary>
    public required string Sha256 { get; init; }
}
