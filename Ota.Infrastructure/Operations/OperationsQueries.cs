using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Operations;

public sealed record NotificationFilter(string? Channel = null, string? DeliveryStatus = null, string? Vin = null, long? TaskId = null, bool UnreadOnly = false);

public sealed record WorkOrderFilter(string? Status = null, string? Vin = null, ErrorType? ErrorType = null);

/// <summary>Status-report follow-ups not yet done (decisions and deliveries), and since when the oldest waits.</summary>
public sealed record FollowUpBacklog(long Waiting, DateTime? OldestSince);

/// <summary>The figures of the dashboard.</summary>
public sealed record DashboardFigures(
    IReadOnlyDictionary<UpgradeTaskStatus, long> TasksByState, long NoticesToday, long Vehicles, long Succeeded, long Failed,
    IReadOnlyDictionary<ErrorType, long> FailuresByError, long OpenWorkOrders, long UnreadNotifications, long SeriesModels, long Strategies,
    FollowUpBacklog FollowUps)
{
    public double SuccessRate => Succeeded + Failed == 0 ? 0 : (double)Succeeded / (Succeeded + Failed);
    public double FailureRate => Succeeded + Failed == 0 ? 0 : (double)Failed / (Succeeded + Failed);
}

/// <summary>
/// Reads of the notification centre, the work orders and the dashboard (the tables the vehicle API and the jobs write),
/// and the one change the console makes there: marking notifications read.
/// </summary>
public sealed class OperationsQueries(ConsoleUser user, IDbContextFactory<OtaDbContext> contexts, TimeProvider clock)
{
    public async Task<PageResult<Notification>> NotificationsAsync(NotificationFilter filter, PageQuery page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Notifications.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Channel)) query = query.Where(n => n.Channel == filter.Channel);
        if (!string.IsNullOrWhiteSpace(filter.DeliveryStatus)) query = query.Where(n => n.DeliveryStatus == filter.DeliveryStatus);
        if (Vin.Normalize(filter.Vin) is { } vin) query = query.Where(n => n.Vin == vin);
        if (filter.TaskId is { } taskId) query = query.Where(n => n.TaskId == taskId);
        if (filter.UnreadOnly) query = query.Where(n => !n.IsRead);
        var total = await query.LongCountAsync(ct);
        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new PageResult<Notification>(rows, total);
    }

    public async Task<IReadOnlyList<string>> ChannelsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Notifications.AsNoTracking().Select(n => n.Channel).Distinct().OrderBy(c => c).ToListAsync(ct);
    }

    public async Task MarkReadAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        foreach (var n in await db.Notifications.Where(n => ids.Contains(n.Id) && !n.IsRead).ToListAsync(ct)) n.IsRead = true;
        await db.SaveChangesAsync(ct);
    }

    public async Task<PageResult<WorkOrder>> WorkOrdersAsync(WorkOrderFilter filter, PageQuery page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.WorkOrders.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Status)) query = query.Where(w => w.Status == filter.Status);
        if (Vin.Normalize(filter.Vin) is { } vin) query = query.Where(w => w.Vin == vin);
        if (filter.ErrorType is { } error) query = query.Where(w => w.ErrorType == error);
        var total = await query.LongCountAsync(ct);
        var rows = await query.OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id).Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new PageResult<WorkOrder>(rows, total);
    }

    public async Task<DashboardFigures> DashboardAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tasks = await db.Tasks.AsNoTracking().GroupBy(t => t.Status).Select(g => new { g.Key, N = g.LongCount() })
            .ToDictionaryAsync(g => g.Key, g => g.N, ct);
        var today = clock.GetUtcNow().UtcDateTime.Date;
        var notices = await db.DownloadNotices.AsNoTracking().LongCountAsync(n => n.SentAt >= today, ct);
        var vehicles = await db.Vehicles.AsNoTracking().LongCountAsync(ct);
        // Where each vehicle's latest report stands: from the (task_id, state, error_type) index alone.
        var latest = await db.LatestStatuses.AsNoTracking().GroupBy(l => new { l.State, l.ErrorType })
            .Select(g => new { g.Key.State, g.Key.ErrorType, N = g.LongCount() }).ToListAsync(ct);
        var failures = latest.Where(l => l.State == UpgradeState.Failed && l.ErrorType != null)
            .GroupBy(l => l.ErrorType!.Value).ToDictionary(g => g.Key, g => g.Sum(x => x.N));
        var openWorkOrders = await db.WorkOrders.AsNoTracking().LongCountAsync(w => w.Status == "Open", ct);
        var unread = await db.Notifications.AsNoTracking().LongCountAsync(n => !n.IsRead, ct);
        var seriesModels = await db.SeriesModels.AsNoTracking().LongCountAsync(ct);
        var strategies = await db.Strategies.AsNoTracking().LongCountAsync(ct);
        return new DashboardFigures(tasks, notices, vehicles,
            latest.Where(l => l.State == UpgradeState.Succeeded).Sum(l => l.N), latest.Where(l => l.State == UpgradeState.Failed).Sum(l => l.N),
            failures, openWorkOrders, unread, seriesModels, strategies, await FollowUpBacklogAsync(db, ct));
    }

    /// <summary>The follow-ups still to do, from the (state, step, next_attempt_at) key; the oldest by when it was created.</summary>
    private static async Task<FollowUpBacklog> FollowUpBacklogAsync(OtaDbContext db, CancellationToken ct)
    {
        var waiting = db.Set<FollowUp>().AsNoTracking().Where(f => f.State == FollowUpState.Pending);
        var count = await waiting.LongCountAsync(ct);
        return new FollowUpBacklog(count, count == 0 ? null : await waiting.MinAsync(f => (DateTime?)f.CreatedAt, ct));
    }
}
