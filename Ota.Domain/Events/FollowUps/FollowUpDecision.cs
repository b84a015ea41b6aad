namespace Ota.Domain.Events.FollowUps;

/// <summary>Decides the actions after an UpgradeStatus report (SPEC §7 items 1–8), in that order.</summary>
public static class FollowUpDecision
{
    private static readonly ErrorType[] FlashingFailures =
        [ErrorType.UpgradeFailed, ErrorType.RollbackFailed, ErrorType.RollbackSucceeded, ErrorType.PeripheralUpgradeFailed];

    private static readonly ErrorType[] RetryableByResend = [ErrorType.DownloadFailed, ErrorType.PrepareUpgradeFailed];

    public static IReadOnlyList<FollowUpAction> Decide(FollowUpFacts facts, FollowUpOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(options);

        var (status, vehicle, task) = (facts.Status, facts.Vehicle, facts.Task);
        var error = status.ErrorType;
        var texts = new FollowUpTexts(facts);
        var actions = new List<FollowUpAction>();

        // 1. Failures injected by after-sales diagnostics are the workshop's business, not operations'.
        if (options.OperationsAssistantMessageEnabled && error is { } e1 && options.FailureErrorTypes.Contains(e1)
            && status.TriggerType != TriggerType.Adi)
            actions.Add(new OperationsAssistantMessage(texts.Failure()));

        // 2. A customer's vehicle failed while flashing in a campaign: someone has to contact the owner.
        if (options.WorkOrderEnabled && vehicle.Sold && vehicle.Activated
            && status.TriggerType is TriggerType.ForcedTask or TriggerType.NormalTask
            && error is { } e2 && FlashingFailures.Contains(e2))
            actions.Add(new WorkOrder(texts.WorkOrderTitle(), e2, texts.WorkOrderMessage()));

        // 3. Only a report that carries an error has a failure to read the logs around; the report itself counts as history.
        if (options.LogReadBackEnabled && error is { } e3
            && (facts.HistoryHasLogReplayErrors || options.LogReplayErrorTypes.Contains(e3)))
            actions.Add(new LogReadBack(status.OccurredAt - options.LogReadBackBefore, status.OccurredAt + options.LogReadBackAfter));

        // 4. Without a task there is nothing to resend.
        if (options.CompensationEnabled && vehicle.Activated && vehicle.PassengerCar
            && error is { } e4 && RetryableByResend.Contains(e4)
            && !IsNonRetryable(status.InnerErrorCode, options) && task is not null)
            actions.Add(task.ResendCount >= facts.MaxResendCount
                ? new CannotCompensate(task.Id, task.ResendCount, facts.MaxResendCount, texts.CannotCompensate(task, facts.MaxResendCount))
                : new FlagForResend(task.Id));

        // 5.
        if (options.RecordErrorTypeEnabled && task is { Type: TaskType.Forced or TaskType.Normal }
            && error is { } e5 && FlashingFailures.Contains(e5))
            actions.Add(new RecordErrorTypeOnTaskVin(task.Id, e5));

        // 6. Only a sold vehicle has an owner to notify; the firmware version is updated regardless.
        var pushKind = PushKindFor(status);
        if (options.MobilePushEnabled && vehicle.Sold && pushKind is { } kind)
            actions.Add(new MobilePush(kind, texts.Push(kind)));
        if (options.FirmwareVersionUpdateEnabled && pushKind == MobilePushKind.Success
            && (status.Version ?? task?.TargetVersion) is { Length: > 0 } version
            && FirmwareVersion.Compare(version, vehicle.FirmwareVersion) != 0)
            actions.Add(new FirmwareVersionUpdate(version));

        // 7.
        if (options.PublishToStreamEnabled)
            actions.Add(new PublishToStream());

        // 8. When the task is not found the trigger still tells that a sampling task drove the upgrade.
        var sampling = task is null ? status.TriggerType == TriggerType.SamplingTask : task.Type == TaskType.Sampling;
        if (options.FactoryGroupMessageEnabled && sampling)
            actions.Add(new FactoryGroupMessage(texts.SamplingReport()));

        return actions;
    }

    /// <summary>
    /// Succeeded without an error is a success; a failed state or any error type is a failure, and a failure to prepare
    /// means the vehicle did not meet the upgrade's pre-conditions (battery, parking, …). Progress states notify nobody.
    /// </summary>
    public static MobilePushKind? PushKindFor(UpgradeStatusFact status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.ErrorType is null)
            return status.State switch
            {
                UpgradeState.Succeeded => MobilePushKind.Success,
                UpgradeState.Failed => MobilePushKind.Failure,
                _ => null,
            };
        return status.ErrorType == ErrorType.PrepareUpgradeFailed ? MobilePushKind.PreconditionsNotMet : MobilePushKind.Failure;
    }

    private static bool IsNonRetryable(string? innerErrorCode, FollowUpOptions options) =>
        innerErrorCode is not null
        && options.NonRetryableInnerErrorCodes.Any(c => string.Equals(c.Trim(), innerErrorCode.Trim(), StringComparison.OrdinalIgnoreCase));
}
