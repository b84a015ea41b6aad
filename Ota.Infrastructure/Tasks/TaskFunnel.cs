using Ota.Domain;

namespace Ota.Infrastructure.Tasks;

/// <summary>
/// How far a task's VINs have come: notified → downloading → upgrading → succeeded / failed. Each stage counts the
/// VINs that reached it, from two sources: the task-VIN states (what the push job and follow-ups record) and the
/// vehicles' latest status reports for this task. A stage shows the larger of the two, since either may lag.
/// </summary>
public sealed record TaskFunnel(long Vins, long Pending, long Notified, long Downloading, long Upgrading, long Succeeded, long Failed,
    long Cancelled, long Superseded)
{
    private static readonly ErrorType?[] BeforeUpgrade = [ErrorType.DownloadFailed, ErrorType.PrepareUpgradeFailed];

    public static TaskFunnel From(IReadOnlyDictionary<TaskVinState, long> vinStates,
        IReadOnlyCollection<(UpgradeState State, ErrorType? Error, long Count)> latest)
    {
        long Of(params TaskVinState[] states) => states.Sum(s => vinStates.GetValueOrDefault(s));
        long Latest(Func<UpgradeState, ErrorType?, bool> where) => latest.Where(l => where(l.State, l.Error)).Sum(l => l.Count);

        var superseded = Of(TaskVinState.Superseded);
        var vins = vinStates.Values.Sum() - superseded;
        var succeeded = Math.Max(Of(TaskVinState.Succeeded), Latest((s, _) => s == UpgradeState.Succeeded));
        var failed = Math.Max(Of(TaskVinState.Failed), Latest((s, _) => s == UpgradeState.Failed));
        var upgrading = Math.Max(Of(TaskVinState.Upgrading, TaskVinState.Succeeded, TaskVinState.Failed),
            Latest((s, e) => s is UpgradeState.WaitingForUpgrade or UpgradeState.Upgrading or UpgradeState.RollingBack or UpgradeState.Succeeded
                || (s == UpgradeState.Failed && !BeforeUpgrade.Contains(e))));
        var downloading = Math.Max(Of(TaskVinState.Downloading, TaskVinState.Upgrading, TaskVinState.Succeeded, TaskVinState.Failed),
            Latest((_, _) => true));
        var notified = Math.Max(Of(TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Upgrading, TaskVinState.Succeeded,
            TaskVinState.Failed, TaskVinState.Closed), downloading);
        return new TaskFunnel(vins, Of(TaskVinState.Pending), notified, downloading, upgrading, succeeded, failed,
            Of(TaskVinState.Cancelled), superseded);
    }

    /// <summary>The stages in order, with their share of the task's VINs.</summary>
    public IReadOnlyList<(string Stage, long Count, double Share)> Stages =>
    [
        ("Notified", Notified, Share(Notified)),
        ("Downloading", Downloading, Share(Downloading)),
        ("Upgrading", Upgrading, Share(Upgrading)),
        ("Succeeded", Succeeded, Share(Succeeded)),
        ("Failed", Failed, Share(Failed)),
    ];

    private double Share(long n) => Vins == 0 ? 0 : (double)n / Vins;
}
