using System.Collections.Frozen;

namespace Ota.Domain.Tasks;

/// <summary>What moves a task-VIN from one <see cref="TaskVinState"/> to another, and who does it.</summary>
public enum TaskVinChange
{
    /// <summary>The push job sends the first notice.</summary>
    Notify,

    /// <summary>The compensation job sends the notice again to a VIN a failure report flagged.</summary>
    Resend,

    /// <summary>The vehicle reports progress or a result (a follow-up of its status report).</summary>
    Report,

    /// <summary>An operator cancels the VIN, or the whole task.</summary>
    Cancel,

    /// <summary>Another task takes the VIN over before it was notified (publishing it, or a sampling task's push).</summary>
    Supersede,

    /// <summary>A job closes the VIN: it no longer qualifies, its resend limit is reached, or its task stopped running.</summary>
    Close,

    /// <summary>The rollout evaluation gives up on a notified VIN that has no final status after the plan's execution timeout (SPEC §12).</summary>
    TimeOut,
}

/// <summary>
/// The life of one VIN in one task (ota_task_vin.state): which change may move it from which state to which, and the
/// named sets of states the flows work with. Every flow takes its state lists from here, SQL included, so a new state
/// or change is written once.
/// </summary>
public static class TaskVinLifecycle
{
    // Every state but the final ones: a job may still send to these, or close them.
    private static readonly TaskVinState[] ShortOfFinal =
        [TaskVinState.Pending, TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Upgrading, TaskVinState.Failed];

    private static readonly FrozenDictionary<TaskVinChange, Move> Moves = new Dictionary<TaskVinChange, Move>
    {
        [TaskVinChange.Notify] = new([TaskVinState.Pending], [TaskVinState.Notified]),
        // A resend starts the VIN over from wherever it stands short of final (Failed, usually).
        [TaskVinChange.Resend] = new(ShortOfFinal, [TaskVinState.Notified]),
        // The vehicle's newest report says where it is, even after a success (it may flash again); only a VIN taken off
        // the task by an operator or a job no longer listens to its reports.
        [TaskVinChange.Report] = new(
            [TaskVinState.Pending, TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Upgrading, TaskVinState.Succeeded, TaskVinState.Failed],
            [TaskVinState.Downloading, TaskVinState.Upgrading, TaskVinState.Succeeded, TaskVinState.Failed]),
        // Not Upgrading: a vehicle that is flashing must finish (or roll back) first.
        [TaskVinChange.Cancel] = new(
            [TaskVinState.Pending, TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Failed],
            [TaskVinState.Cancelled]),
        [TaskVinChange.Supersede] = new([TaskVinState.Pending], [TaskVinState.Superseded]),
        [TaskVinChange.Close] = new(ShortOfFinal, [TaskVinState.Closed]),
        [TaskVinChange.TimeOut] = new([TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Upgrading], [TaskVinState.TimedOut]),
    }.ToFrozenDictionary();

    /// <summary>What the push claims and sends its first notice to (besides a free lease).</summary>
    public static IReadOnlySet<TaskVinState> Claimable => From(TaskVinChange.Notify);

    /// <summary>Notified and without a result yet: the vehicle has the notice and is working on it.</summary>
    public static IReadOnlySet<TaskVinState> InFlight { get; } =
        Of(TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Upgrading);

    /// <summary>The states only a vehicle's own report moves a task-VIN to.</summary>
    public static IReadOnlySet<TaskVinState> Reported => To(TaskVinChange.Report);

    /// <summary>Taken off the task by an operator or a job: nothing moves the VIN again, not even its own reports.</summary>
    public static IReadOnlySet<TaskVinState> Withdrawn { get; } =
        Of(TaskVinState.Cancelled, TaskVinState.Superseded, TaskVinState.Closed);

    /// <summary>Cancelled or superseded: the task no longer holds the VIN (package-info does not serve it for that task).</summary>
    public static IReadOnlySet<TaskVinState> Released { get; } = Of(TaskVinState.Cancelled, TaskVinState.Superseded);

    /// <summary>Done with the task one way or another: no notice goes to the VIN for it again.</summary>
    public static IReadOnlySet<TaskVinState> Final { get; } = Of([.. Withdrawn, TaskVinState.Succeeded, TaskVinState.TimedOut]);

    /// <summary>Counted as failed by the rollout's error thresholds: a failure report, or no final status in time.</summary>
    public static IReadOnlySet<TaskVinState> CountedFailed { get; } = Of(TaskVinState.Failed, TaskVinState.TimedOut);

    /// <summary>Finished for the rollout's thresholds: succeeded or counted failed.</summary>
    public static IReadOnlySet<TaskVinState> CountedFinished { get; } = Of([.. CountedFailed, TaskVinState.Succeeded]);

    /// <summary>What a failure report may flag for the compensation job to send again: everything short of final.</summary>
    public static IReadOnlySet<TaskVinState> Resendable => From(TaskVinChange.Resend);

    /// <summary>What an operator may cancel: not started upgrading, or failed and perhaps waiting for a resend.</summary>
    public static IReadOnlySet<TaskVinState> Cancellable => From(TaskVinChange.Cancel);

    /// <summary>Cancelled from these, the vehicle was told about the task and is owed a cancel notice.</summary>
    public static IReadOnlySet<TaskVinState> OwedCancelNotice { get; } = Of([.. Cancellable.Intersect(InFlight)]);

    /// <summary>The states <paramref name="change"/> may move a task-VIN from.</summary>
    public static IReadOnlySet<TaskVinState> From(TaskVinChange change) => Moves[change].From;

    /// <summary>The states <paramref name="change"/> may move a task-VIN to.</summary>
    public static IReadOnlySet<TaskVinState> To(TaskVinChange change) => Moves[change].To;

    public static bool Allows(TaskVinChange change, TaskVinState from, TaskVinState to) =>
        Moves[change].From.Contains(from) && Moves[change].To.Contains(to);

    /// <summary>Whether any change leads from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(TaskVinState from, TaskVinState to) => Moves.Values.Any(m => m.From.Contains(from) && m.To.Contains(to));

    /// <summary>
    /// The state a vehicle's status report moves its task-VIN to: any error is a failure, otherwise the upgrade state's
    /// stage. Null when the report says nothing about the task-VIN (a cancelled upgrade: the operator's cancel decides).
    /// </summary>
    public static TaskVinState? AfterReport(UpgradeState state, bool hasError) => hasError ? TaskVinState.Failed : state switch
    {
        UpgradeState.Downloading or UpgradeState.Downloaded => TaskVinState.Downloading,
        UpgradeState.WaitingForUpgrade or UpgradeState.Upgrading or UpgradeState.RollingBack => TaskVinState.Upgrading,
        UpgradeState.Succeeded => TaskVinState.Succeeded,
        UpgradeState.Failed => TaskVinState.Failed,
        _ => null,
    };

    private static FrozenSet<TaskVinState> Of(params TaskVinState[] states) => states.ToFrozenSet();

    private sealed class Move(TaskVinState[] from, TaskVinState[] to)
    {
        public FrozenSet<TaskVinState> From { get; } = from.ToFrozenSet();
        public FrozenSet<TaskVinState> To { get; } = to.ToFrozenSet();
    }
}
