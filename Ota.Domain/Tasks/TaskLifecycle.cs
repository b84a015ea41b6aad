using System.Collections.Frozen;

namespace Ota.Domain.Tasks;

/// <summary>What moves a task (campaign) from one <see cref="UpgradeTaskStatus"/> to another.</summary>
public enum TaskChange
{
    /// <summary>Its VIN list is being validated in the background.</summary>
    Validate,

    /// <summary>An operator or the open API publishes it: the push job sends it from its scheduled time.</summary>
    Publish,

    /// <summary>The push job has notified every VIN (none is pending any more).</summary>
    Execute,

    /// <summary>An operator cancels it.</summary>
    Cancel,

    /// <summary>An operator, an error threshold or a revoked package pauses it: no notice of it leaves until it is resumed (SPEC §12).</summary>
    Pause,

    /// <summary>An operator resumes a paused task.</summary>
    Resume,

    /// <summary>An operator stops it for good: what was not notified is cancelled, the notified get cancel notices.</summary>
    Stop,
}

/// <summary>
/// The life of a task (ota_task.status): which change may move it from which status, and the named sets of statuses
/// the flows work with (SQL included).
/// </summary>
public static class TaskLifecycle
{
    private static readonly FrozenDictionary<TaskChange, (FrozenSet<UpgradeTaskStatus> From, UpgradeTaskStatus To)> Moves =
        new Dictionary<TaskChange, (FrozenSet<UpgradeTaskStatus>, UpgradeTaskStatus)>
        {
            [TaskChange.Validate] = (Of(UpgradeTaskStatus.Draft), UpgradeTaskStatus.Validating),
            [TaskChange.Publish] = (Of(UpgradeTaskStatus.Draft, UpgradeTaskStatus.Validating), UpgradeTaskStatus.Published),
            [TaskChange.Execute] = (Of(UpgradeTaskStatus.Published), UpgradeTaskStatus.Executed),
            [TaskChange.Cancel] = (Of(UpgradeTaskStatus.Draft, UpgradeTaskStatus.Validating, UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused,
                UpgradeTaskStatus.Executed), UpgradeTaskStatus.Cancelled),
            // An executed task can still be paused: compensation resends and the error thresholds still apply to it.
            [TaskChange.Pause] = (Of(UpgradeTaskStatus.Published, UpgradeTaskStatus.Executed), UpgradeTaskStatus.Paused),
            // Back to sending; the push marks it executed again once nothing is pending.
            [TaskChange.Resume] = (Of(UpgradeTaskStatus.Paused), UpgradeTaskStatus.Published),
            [TaskChange.Stop] = (Of(UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused, UpgradeTaskStatus.Executed), UpgradeTaskStatus.Stopped),
        }.ToFrozenDictionary();

    /// <summary>Tasks that can still be sent: they have a place in the sending order, and only these move up and down in it.</summary>
    public static IReadOnlySet<UpgradeTaskStatus> Open { get; } =
        Of(UpgradeTaskStatus.Draft, UpgradeTaskStatus.Validating, UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused);

    /// <summary>What the push job sends once its scheduled time has come.</summary>
    public static IReadOnlySet<UpgradeTaskStatus> Sending { get; } = Of(UpgradeTaskStatus.Published);

    /// <summary>Sent or being sent: the compensation job resends their flagged VINs (and closes those of other tasks).</summary>
    public static IReadOnlySet<UpgradeTaskStatus> Running { get; } = Of(UpgradeTaskStatus.Published, UpgradeTaskStatus.Executed);

    /// <summary>Published and not finished with: the rollout gates and timeouts are evaluated for these.</summary>
    public static IReadOnlySet<UpgradeTaskStatus> Live { get; } = Of(UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused, UpgradeTaskStatus.Executed);

    public static IReadOnlySet<UpgradeTaskStatus> From(TaskChange change) => Moves[change].From;

    public static UpgradeTaskStatus To(TaskChange change) => Moves[change].To;

    public static bool Allows(TaskChange change, UpgradeTaskStatus from) => Moves[change].From.Contains(from);

    private static FrozenSet<UpgradeTaskStatus> Of(params UpgradeTaskStatus[] statuses) => statuses.ToFrozenSet();
}
