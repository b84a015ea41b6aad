namespace Ota.Domain.Tasks;

/// <summary>The order the push job sends the open tasks (<see cref="TaskLifecycle.Open"/>) in.</summary>
public static class TaskRanking
{
    /// <summary>The lowest and highest priority a task may be given.</summary>
    public const int MinPriority = -1000, MaxPriority = 1000;

    public static bool IsValidPriority(int priority) => priority is >= MinPriority and <= MaxPriority;

    /// <summary>Whether <paramref name="a"/> is sent before <paramref name="b"/>: higher priority first, then the newer task.</summary>
    public static bool Outranks((long Id, int Priority) a, (long Id, int Priority) b) =>
        a.Priority > b.Priority || (a.Priority == b.Priority && a.Id > b.Id);

    /// <summary>
    /// Moves a task one place up or down among the open tasks (ranked), changing as few priorities as possible:
    /// the task swaps places with its neighbour, and the tasks above are raised only where they would otherwise tie
    /// or fall below. Returns the new priorities by task id, or null when the task is already first (last).
    /// </summary>
    public static IReadOnlyDictionary<long, int>? Move(IReadOnlyList<(long Id, int Priority)> ranked, long taskId, bool up)
    {
        var list = ranked.ToList();
        var index = list.FindIndex(t => t.Id == taskId);
        if (index < 0) throw new ArgumentException($"Task {taskId} is not among the open tasks.", nameof(taskId));
        var (moverIndex, anchorIndex) = up ? (index, index - 1) : (index + 1, index);
        if (anchorIndex < 0 || moverIndex >= list.Count) return null;

        (list[anchorIndex], list[moverIndex]) = (list[moverIndex], list[anchorIndex]);
        var changed = new Dictionary<long, int>();
        // From the moved task upwards, each task must outrank the one below it; raise the least needed, stop when it already does.
        for (var i = anchorIndex; i >= 0; i--)
        {
            var below = list[i + 1];
            var task = list[i];
            if (Outranks(task, below)) break;
            var priority = task.Id > below.Id ? below.Priority : checked(below.Priority + 1);
            list[i] = (task.Id, priority);
            changed[task.Id] = priority;
        }
        return changed;
    }
}
