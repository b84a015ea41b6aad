using System.Globalization;

namespace Ota.Domain.Events.FollowUps;

/// <summary>The human-readable texts of the follow-up messages: English, one line, with what an operator searches for.</summary>
internal sealed class FollowUpTexts(FollowUpFacts facts)
{
    private readonly UpgradeStatusFact _status = facts.Status;

    private string Task => facts.Task is { } t ? $"task {t.Id.ToString(CultureInfo.InvariantCulture)}" : "no task";

    private string Error => _status.ErrorType is { } e
        ? _status.InnerErrorCode is { } inner ? $"error {e} (inner {inner})" : $"error {e}"
        : "no error";

    private string At => _status.OccurredAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    public string Failure() =>
        $"OTA upgrade failure: VIN {facts.Vin}, {Task}, state {_status.State}, {Error}, trigger {_status.TriggerType}, at {At}.";

    public string WorkOrderTitle() => $"Upgrade failure: VIN {facts.Vin}, {_status.ErrorType}";

    public string WorkOrderMessage() =>
        $"New upgrade-failure work order: VIN {facts.Vin} (sold, activated), {Task}, state {_status.State}, {Error}, " +
        $"trigger {_status.TriggerType}, at {At}. Please contact the owner.";

    public string CannotCompensate(FollowUpTaskFact task, int max) =>
        $"Cannot compensate VIN {facts.Vin} in task {task.Id.ToString(CultureInfo.InvariantCulture)}: " +
        $"resent {task.ResendCount.ToString(CultureInfo.InvariantCulture)} times, the maximum is {max.ToString(CultureInfo.InvariantCulture)} ({Error}).";

    public string Push(MobilePushKind kind) => kind switch
    {
        MobilePushKind.Success => NewVersion is { } v
            ? $"Your vehicle's software update is complete. It now runs version {v}."
            : "Your vehicle's software update is complete.",
        MobilePushKind.PreconditionsNotMet =>
            "Your vehicle's software update could not start because the vehicle did not meet its pre-conditions.",
        _ => "Your vehicle's software update could not be completed.",
    };

    public string SamplingReport() =>
        $"Sampling {Task}: VIN {facts.Vin} reported state {_status.State}, {Error}, " +
        $"version {_status.Version ?? "not reported"}, at {At}.";

    private string? NewVersion => _status.Version ?? facts.Task?.TargetVersion;
}
