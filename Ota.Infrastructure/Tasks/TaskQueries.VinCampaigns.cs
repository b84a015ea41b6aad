using Microsoft.EntityFrameworkCore;
using Ota.Domain;

namespace Ota.Infrastructure.Tasks;

/// <summary>One task that holds a VIN: the task, the VIN's state in it, and why it failed there if it did.</summary>
public sealed record VinCampaign(
    long TaskId, string TaskName, UpgradeTaskStatus TaskStatus, string TargetVersion, TaskVinState State, string? VerdictCodes,
    DateTime? NotifiedAt, ErrorType? Failure, string? CloseReason, DateTime CreatedAt);

public sealed partial class TaskQueries
{
    /// <summary>How many of a VIN's tasks are shown, newest first (a vehicle is rarely in more).</summary>
    public const int CampaignsPerVin = 200;

    /// <summary>
    /// Every task that holds the VIN, newest first, from the task-VIN's vin index: the "which campaigns is this car in"
    /// of support. The failure follows the task page's Error column: the recorded error, else the latest report's for that task.
    /// </summary>
    public async Task<IReadOnlyList<VinCampaign>> VinCampaignsAsync(string vin, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var latest = await db.LatestStatuses.AsNoTracking().Where(l => l.Vin == vin)
            .Select(l => new { l.TaskId, l.ErrorType }).FirstOrDefaultAsync(ct);
        var rows = await db.TaskVins.AsNoTracking().Where(v => v.Vin == vin)
            .Join(db.Tasks, v => v.TaskId, t => t.Id, (v, t) => new { v, t })
            .OrderByDescending(x => x.v.TaskId).Take(CampaignsPerVin)
            .Select(x => new VinCampaign(x.t.Id, x.t.Name, x.t.Status, x.t.TargetVersion, x.v.State, x.v.VerdictCodes, x.v.NotifiedAt,
                x.v.ErrorType, x.v.CloseReason, x.t.CreatedAt))
            .ToListAsync(ct);
        return rows.Select(r => r.Failure is null && latest?.TaskId == r.TaskId && latest.ErrorType is { } error ? r with { Failure = error } : r).ToList();
    }
}
