using System.Globalization;

namespace Ota.Domain.Tasks.Rollouts;

/// <summary>How a rollout group stands (SPEC §12).</summary>
public enum RolloutGroupState { Waiting, Open, Succeeded, Paused }

/// <summary>What a group's VINs have come to.</summary>
/// <param name="Size">VINs the group holds (not withdrawn from the task: cancelled, superseded and closed ones do not count).</param>
/// <param name="Succeeded">VINs that succeeded.</param>
/// <param name="Failed">VINs that failed or timed out.</param>
public sealed record GroupCounts(long Size, long Succeeded, long Failed)
{
    public long Finished => Succeeded + Failed;
}

/// <summary>A group's gate as recorded: when it opened, reached its success threshold, was approved; the failures an operator resumed past.</summary>
public sealed record GroupGate(DateTime? OpenedAt, DateTime? ReachedAt, DateTime? ApprovedAt, long FailedAtResume)
{
    public bool IsOpen => OpenedAt is not null;
}

/// <summary>Why a task was paused: a stable code, the group (if any) and the counts in words.</summary>
public sealed record PauseReason(string Code, string? Group, string Detail)
{
    public const string ErrorThreshold = "ROLLOUT_ERROR_THRESHOLD";
    public const string PackageRevoked = "PACKAGE_REVOKED";
    public const string Operator = "OPERATOR";
}

/// <summary>What an evaluation decided.</summary>
public abstract record RolloutDecision
{
    /// <summary>Pause the task: a group's failures crossed its error threshold.</summary>
    public sealed record Pause(int Group, PauseReason Reason) : RolloutDecision;

    /// <summary>The group reached its success threshold (its soak time starts now).</summary>
    public sealed record Reached(int Group) : RolloutDecision;

    /// <summary>Open the group after the last open one.</summary>
    public sealed record OpenNext(int Group) : RolloutDecision;
}

/// <summary>
/// The gates of a rollout (SPEC §12) as plain rules: given the plan, each group's gate and counts, and whether the task
/// is sending, what to do now. The caller applies the decisions with conditional updates, so two instances deciding
/// the same thing apply it once.
/// </summary>
public static class RolloutGate
{
    public static IReadOnlyList<RolloutDecision> Evaluate(RolloutPlan plan, IReadOnlyList<GroupGate> gates, IReadOnlyList<GroupCounts> counts,
        bool sending, DateTime now)
    {
        var decisions = new List<RolloutDecision>();
        if (!sending) return decisions;
        for (var i = 0; i < plan.Groups.Count; i++)
        {
            if (!gates[i].IsOpen) continue;
            if (ErrorThresholdCrossed(plan.Groups[i], gates[i], counts[i]) is { } reason)
            {
                decisions.Add(new RolloutDecision.Pause(i, reason));
                return decisions;
            }
        }
        var reached = new bool[plan.Groups.Count];
        for (var i = 0; i < plan.Groups.Count; i++)
        {
            reached[i] = gates[i].ReachedAt is not null;
            if (gates[i].IsOpen && !reached[i] && SuccessReached(plan.Groups[i], counts[i]))
            {
                decisions.Add(new RolloutDecision.Reached(i));
                reached[i] = true;
            }
        }
        var last = LastOpen(gates);
        if (last < 0 || last + 1 >= plan.Groups.Count || !reached[last]) return decisions;
        var group = plan.Groups[last];
        var reachedAt = gates[last].ReachedAt ?? now;
        if (now < reachedAt.AddMinutes(group.SoakMinutes)) return decisions;
        if (group.Approval && gates[last].ApprovedAt is null) return decisions;
        decisions.Add(new RolloutDecision.OpenNext(last + 1));
        return decisions;
    }

    /// <summary>The index of the last open group; -1 before the first opens.</summary>
    public static int LastOpen(IReadOnlyList<GroupGate> gates)
    {
        var last = -1;
        for (var i = 0; i < gates.Count; i++) if (gates[i].IsOpen) last = i;
        return last;
    }

    /// <summary>Whether the last open group has reached its success threshold and waits for an operator's approval before the next one can open.</summary>
    public static bool AwaitsApproval(RolloutPlan plan, IReadOnlyList<GroupGate> gates)
    {
        var last = LastOpen(gates);
        return last >= 0 && last + 1 < plan.Groups.Count && plan.Groups[last].Approval && gates[last].ReachedAt is not null
               && gates[last].ApprovedAt is null;
    }

    public static bool SuccessReached(RolloutGroupPlan group, GroupCounts counts) =>
        counts.Succeeded * 100.0 >= group.SuccessThreshold * counts.Size;

    /// <summary>
    /// The reason to pause when the group's failures have reached its error threshold, once <see cref="RolloutGroupPlan.MinFinished"/>
    /// of its VINs have finished; failures an operator already resumed past do not pause the task again until another one comes.
    /// </summary>
    public static PauseReason? ErrorThresholdCrossed(RolloutGroupPlan group, GroupGate gate, GroupCounts counts)
    {
        if (group.ErrorThreshold is not { } threshold) return null;
        if (counts.Finished < group.MinFinished || counts.Finished == 0) return null;
        if (counts.Failed * 100.0 < threshold * counts.Finished) return null;
        if (counts.Failed <= gate.FailedAtResume) return null;
        var share = (counts.Failed * 100.0 / counts.Finished).ToString("0.#", CultureInfo.InvariantCulture);
        return new PauseReason(PauseReason.ErrorThreshold, group.Name,
            $"{counts.Failed} of {counts.Finished} finished VINs of group '{group.Name}' failed or timed out ({share} %), " +
            $"at or above its error threshold of {threshold.ToString(CultureInfo.InvariantCulture)} %.");
    }

    /// <summary>How a group stands for the console and the open API.</summary>
    public static RolloutGroupState StateOf(GroupGate gate, bool taskPaused) =>
        !gate.IsOpen ? RolloutGroupState.Waiting
        : gate.ReachedAt is not null ? RolloutGroupState.Succeeded
        : taskPaused ? RolloutGroupState.Paused
        : RolloutGroupState.Open;
}
