using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ota.Domain.Operations;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Auditing;

/// <summary>One page of the audit log, newest first.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long Total);

/// <summary>Browsing filters of the audit log; every field optional.</summary>
public sealed record AuditFilter(string? User = null, string? Entity = null, string? Action = null, string? EntityId = null,
    DateTime? From = null, DateTime? To = null);

/// <summary>
/// The audit log beyond the interceptor: explicit entries for changes made in bulk (imports, set-based updates) that
/// EF Core's change tracker never sees, and the queries of the audit page.
/// </summary>
public sealed class AuditTrail(IDbContextFactory<OtaDbContext> contexts, TimeProvider clock)
{
    /// <summary>Records a change by the current <see cref="AuditActor"/> (or <paramref name="user"/>); before/after are serialised as JSON.</summary>
    public async Task RecordAsync(string action, string entity, string? entityId, object? before, object? after, string? user = null,
        CancellationToken ct = default)
    {
        user ??= AuditActor.Current ?? throw new InvalidOperationException("An audit entry needs a user: begin an AuditActor first.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.AuditLog.Add(new AuditEntry
        {
            User = user,
            Action = action,
            Entity = entity,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before),
            After = after is null ? null : JsonSerializer.Serialize(after),
            At = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
    }

    public async Task<AuditPage> PageAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.User)) query = query.Where(a => a.User.StartsWith(filter.User.Trim()));
        if (!string.IsNullOrWhiteSpace(filter.Entity)) query = query.Where(a => a.Entity == filter.Entity.Trim());
        if (!string.IsNullOrWhiteSpace(filter.Action)) query = query.Where(a => a.Action == filter.Action.Trim());
        if (!string.IsNullOrWhiteSpace(filter.EntityId)) query = query.Where(a => a.EntityId == filter.EntityId.Trim());
        if (filter.From is { } from) query = query.Where(a => a.At >= from);
        if (filter.To is { } to) query = query.Where(a => a.At < to);
        var total = await query.LongCountAsync(ct);
        var entries = await query.OrderByDescending(a => a.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
        return new AuditPage(entries, total);
    }

    /// <summary>The entity and action names that occur, for the page's filters.</summary>
    public async Task<(IReadOnlyList<string> Entities, IReadOnlyList<string> Actions)> VocabularyAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var entities = await db.AuditLog.AsNoTracking().Select(a => a.Entity).Distinct().OrderBy(e => e).ToListAsync(ct);
        var actions = await db.AuditLog.AsNoTracking().Select(a => a.Action).Distinct().OrderBy(e => e).ToListAsync(ct);
        return (entities, actions);
    }
}
