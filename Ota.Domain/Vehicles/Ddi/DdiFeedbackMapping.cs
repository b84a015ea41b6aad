namespace Ota.Domain.Vehicles.Ddi;

/// <summary>What a DDI feedback means in this product's own terms (SPEC §14): the events it becomes and what it ends.</summary>
/// <param name="Status">The upgrade status to report (moves the task-VIN, and is followed up, as the native API's); null for progress only.</param>
/// <param name="Error">The error of a <see cref="UpgradeState.Failed"/> status.</param>
/// <param name="Percent">A progress percentage (0–100) from <c>progress.cnt</c>/<c>of</c>; null when the device sent none that makes sense.</param>
/// <param name="Step">What the device said it is doing, for the timeline.</param>
/// <param name="ClosesAction">The action is over for the device: its deployment is no longer offered on a poll.</param>
/// <param name="EndsCancel">The device answered the cancel action (acknowledged or refused it): it is no longer offered.</param>
/// <param name="ReachedDownloaded">The device says it has the files.</param>
public sealed record DdiFeedbackMeaning(
    UpgradeState? Status, ErrorType? Error, int? Percent, string Step, bool ClosesAction, bool EndsCancel, bool ReachedDownloaded);

/// <summary>
/// The mapping of SPEC §14 from a device's feedback to the native events, as hawkBit reads the same feedback:
/// <list type="bullet">
/// <item>deployment feedback: <c>closed</c> + <c>success</c> (or <c>none</c>, which hawkBit also counts as finished) →
/// Succeeded; <c>closed</c> + <c>failure</c> → Failed, with DownloadFailed when the device never said
/// <c>downloaded</c> for this action, else UpgradeFailed; <c>canceled</c> → Failed (the device dropped an action nobody
/// cancelled: a cancelled one is answered on its cancel action, and a Cancelled status would leave the task-VIN in
/// flight); <c>rejected</c> → Failed
/// (PrepareUpgradeFailed: the device refused to start); <c>download</c> → Downloading and <c>downloaded</c> → Downloaded
/// while the VIN has not yet started; <c>proceeding</c>, <c>scheduled</c>, <c>resumed</c> → Upgrading once, progress
/// after that;</item>
/// <item>cancel feedback: <c>closed</c> + <c>success</c> or <c>canceled</c> acknowledge the cancel (hawkBit: "Cancellation
/// confirmed"; SWUpdate sends the former) → Cancelled; <c>rejected</c> or <c>closed</c> + <c>failure</c> refuse it; anything
/// else is progress, and the cancel stays offered.</item>
/// </list>
/// </summary>
public static class DdiFeedbackMapping
{
    /// <param name="current">The task-VIN's state now (what the device has reported so far).</param>
    /// <param name="reachedDownloaded">Whether the device has said <c>downloaded</c> for this action before.</param>
    public static DdiFeedbackMeaning Map(DdiFeedbackTarget target, DdiFeedback feedback, TaskVinState current, bool reachedDownloaded)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var step = Step(feedback);
        var percent = Percent(feedback);
        if (target == DdiFeedbackTarget.Cancel)
        {
            return feedback switch
            {
                { Execution: DdiExecution.Closed, Finished: DdiFinished.Success or DdiFinished.None } or { Execution: DdiExecution.Canceled } =>
                    new(UpgradeState.Cancelled, null, null, step, ClosesAction: true, EndsCancel: true, reachedDownloaded),
                { Execution: DdiExecution.Rejected } or { Execution: DdiExecution.Closed, Finished: DdiFinished.Failure } =>
                    new(null, null, percent, "Cancel refused: " + step, ClosesAction: false, EndsCancel: true, reachedDownloaded),
                _ => new(null, null, percent, step, ClosesAction: false, EndsCancel: false, reachedDownloaded),
            };
        }

        var notStarted = current == TaskVinState.Notified;
        var beforeUpgrading = current is TaskVinState.Notified or TaskVinState.Downloading;
        return feedback.Execution switch
        {
            DdiExecution.Closed when feedback.Finished == DdiFinished.Failure =>
                new(UpgradeState.Failed, reachedDownloaded ? ErrorType.UpgradeFailed : ErrorType.DownloadFailed, percent, step,
                    ClosesAction: true, EndsCancel: false, reachedDownloaded),
            DdiExecution.Closed => new(UpgradeState.Succeeded, null, 100, step, ClosesAction: true, EndsCancel: false, reachedDownloaded),
            DdiExecution.Canceled => new(UpgradeState.Failed, null, percent, step, ClosesAction: true, EndsCancel: false, reachedDownloaded),
            DdiExecution.Rejected => new(UpgradeState.Failed, ErrorType.PrepareUpgradeFailed, percent, step, ClosesAction: true, EndsCancel: false,
                reachedDownloaded),
            DdiExecution.Download => new(notStarted ? UpgradeState.Downloading : null, null, percent, step, false, false, reachedDownloaded),
            DdiExecution.Downloaded => new(beforeUpgrading ? UpgradeState.Downloaded : null, null, percent, step, false, false, ReachedDownloaded: true),
            _ => new(beforeUpgrading ? UpgradeState.Upgrading : null, null, percent, step, false, false, reachedDownloaded),
        };
    }

    /// <summary>cnt/of as a percentage; SWUpdate counts chunks and sends <c>of</c> 0 or a <c>cnt</c> past <c>of</c> at times.</summary>
    private static int? Percent(DdiFeedback feedback) =>
        feedback is { ProgressCount: { } count, ProgressOf: { } of } && of > 0 && count >= 0
            ? (int)Math.Min(100, count * 100L / of)
            : null;

    /// <summary>The execution and the first detail line, for the timeline (an event's step holds at most 64 characters).</summary>
    private static string Step(DdiFeedback feedback)
    {
        var execution = feedback.Execution.ToString().ToLowerInvariant();
        var detail = feedback.Details.Select(d => d.Trim()).FirstOrDefault(d => d.Length > 0);
        var text = detail is null ? execution : $"{execution}: {detail}";
        return text.Length <= StepLength ? text : text[..(StepLength - 1)] + "…";
    }

    public const int StepLength = 64;
}
