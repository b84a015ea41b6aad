namespace Ota.Domain.Events.FollowUps;

/// <summary>
/// Configuration of the actions after an UpgradeStatus report (SPEC §7 items 1–8); each action can be switched off.
/// </summary>
public sealed record FollowUpOptions
{
    /// <summary>Item 1: error types that count as a failure report. Default: all six.</summary>
    public IReadOnlyList<ErrorType> FailureErrorTypes { get; init; } = Enum.GetValues<ErrorType>();

    /// <summary>
    /// Item 3: error types whose presence in the vehicle's history asks for a log read-back. Default: the failures that
    /// happen on the vehicle while flashing; download failures are usually network trouble that the vehicle's log does not explain.
    /// </summary>
    public IReadOnlyList<ErrorType> LogReplayErrorTypes { get; init; } =
        [ErrorType.UpgradeFailed, ErrorType.RollbackSucceeded, ErrorType.RollbackFailed, ErrorType.PeripheralUpgradeFailed];

    /// <summary>Item 4: inner error codes for which resending cannot help (compared ignoring case). Default: none.</summary>
    public IReadOnlyList<string> NonRetryableInnerErrorCodes { get; init; } = [];

    /// <summary>Item 3: the log window starts this long before the report's occurredAt…</summary>
    public TimeSpan LogReadBackBefore { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>…and ends this long after it.</summary>
    public TimeSpan LogReadBackAfter { get; init; } = TimeSpan.FromMinutes(5);

    public bool OperationsAssistantMessageEnabled { get; init; } = true;
    public bool WorkOrderEnabled { get; init; } = true;
    public bool LogReadBackEnabled { get; init; } = true;
    public bool CompensationEnabled { get; init; } = true;
    public bool RecordErrorTypeEnabled { get; init; } = true;
    public bool MobilePushEnabled { get; init; } = true;
    /// <summary>Item 6's firmware update, separate from the push: the registry must learn the new version even when pushes are off.</summary>
    public bool FirmwareVersionUpdateEnabled { get; init; } = true;
    public bool PublishToStreamEnabled { get; init; } = true;
    public bool FactoryGroupMessageEnabled { get; init; } = true;

    /// <summary>Problems with these options, for start-up validation; empty when they are usable.</summary>
    public IEnumerable<string> Validate()
    {
        if (LogReadBackBefore < TimeSpan.Zero) yield return "LogReadBackBefore must not be negative.";
        if (LogReadBackAfter < TimeSpan.Zero) yield return "LogReadBackAfter must not be negative.";
        if (NonRetryableInnerErrorCodes.Any(string.IsNullOrWhiteSpace)) yield return "NonRetryableInnerErrorCodes must not contain blank codes.";
    }
}
