using Ota.Domain.Events.Reports;

namespace Ota.Domain.Events.FollowUps;

/// <summary>What is known when an UpgradeStatus report arrives, gathered by the caller.</summary>
/// <param name="Task">The task the report belongs to (through the message id, else the VIN's newest notified task-VIN); null when none is found.</param>
/// <param name="MaxResendCount">The compensation job's maximum resend count (SPEC §6, default 3).</param>
/// <param name="HistoryHasLogReplayErrors">The vehicle's status history has errors of <see cref="FollowUpOptions.LogReplayErrorTypes"/>.</param>
public sealed record FollowUpFacts(
    string Vin,
    UpgradeStatusFact Status,
    FollowUpVehicleFact Vehicle,
    FollowUpTaskFact? Task,
    int MaxResendCount,
    bool HistoryHasLogReplayErrors);

/// <summary>The status report itself.</summary>
public sealed record UpgradeStatusFact(
    DateTimeOffset OccurredAt,
    UpgradeState State,
    TriggerType TriggerType,
    ErrorType? ErrorType = null,
    string? InnerErrorCode = null,
    string? Version = null)
{
    public static UpgradeStatusFact From(ReportedUpgradeStatus report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.OccurredAt, report.State, report.TriggerType, report.ErrorType, report.InnerErrorCode, report.Version);
    }
}

public sealed record FollowUpVehicleFact(bool Sold, bool Activated, bool PassengerCar, string FirmwareVersion);

/// <param name="ResendCount">The task-VIN's resend count.</param>
public sealed record FollowUpTaskFact(long Id, TaskType Type, string TargetVersion, int ResendCount);
