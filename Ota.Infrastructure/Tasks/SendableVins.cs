using Ota.Domain;
using Ota.Domain.Tasks;

namespace Ota.Infrastructure.Tasks;

/// <summary>
/// A task's VINs that publishing it would send to now: still Pending, not taken off the task. Tasks published after a
/// draft was made supersede its VINs, so a draft can have fewer, or none, by the time it is published or approved.
/// </summary>
public static class SendableVins
{
    public static IQueryable<TaskVin> SendableOf(this IQueryable<TaskVin> vins, long taskId) =>
        vins.Where(v => v.TaskId == taskId && v.State == TaskVinState.Pending && !v.IsDelete);
}
