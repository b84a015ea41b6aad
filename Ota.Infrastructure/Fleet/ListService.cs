using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Fleet;

public sealed record ListEntryRow(long Id, string Vin, string? Reason, bool IsDelete, DateTime CreatedAt, DateTime? DeletedAt);

/// <summary>The blacklist and the three whitelists: browse (paged), import, add one VIN, soft-delete; exports are a download.</summary>
public sealed class ListService(ConsoleUser user, IDbContextFactory<OtaDbContext> contexts, VehicleListImporter importer, AuditTrail audit,
    TimeProvider clock)
{
    public async Task<PageResult<ListEntryRow>> PageAsync(VehicleListKind kind, string? vinPrefix, bool includeDeleted, PageQuery page,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var prefix = vinPrefix?.Trim().ToUpperInvariant();
        // Filtered on the entities, then projected: EF Core cannot filter on a record built by its constructor.
        IQueryable<ListEntryRow> rows;
        if (kind.WhitelistType is { } type)
        {
            var entries = db.Whitelist.AsNoTracking().Where(w => w.Type == type);
            if (!includeDeleted) entries = entries.Where(w => !w.IsDelete);
            if (!string.IsNullOrEmpty(prefix)) entries = entries.Where(w => w.Vin.StartsWith(prefix));
            rows = entries.OrderBy(w => w.Vin).ThenByDescending(w => w.Id)
                .Select(w => new ListEntryRow(w.Id, w.Vin, w.Reason, w.IsDelete, w.CreatedAt, w.DeletedAt));
        }
        else
        {
            var entries = db.Blacklist.AsNoTracking();
            if (!includeDeleted) entries = entries.Where(b => !b.IsDelete);
            if (!string.IsNullOrEmpty(prefix)) entries = entries.Where(b => b.Vin.StartsWith(prefix));
            rows = entries.OrderBy(b => b.Vin).ThenByDescending(b => b.Id)
                .Select(b => new ListEntryRow(b.Id, b.Vin, b.Reason, b.IsDelete, b.CreatedAt, b.DeletedAt));
        }
        var total = await rows.LongCountAsync(ct);
        var items = await rows.Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new PageResult<ListEntryRow>(items, total);
    }

    public async Task<ImportReport> ImportAsync(VehicleListKind kind, string path, string fileName, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        ImportReport report;
        try
        {
            report = await importer.ImportAsync(kind, () => File.OpenRead(path), fileName, ct);
        }
        catch (TabularFileException ex)
        {
            report = new ImportReport();
            report.Problem("file", "-", ex.Message);
        }
        if (report.Succeeded)
            await audit.RecordAsync("List imported", ListEntity(kind), kind.Name, null, new { File = fileName, report.RowsRead, report.Written }, ct: ct);
        return report;
    }

    /// <summary>Adds one VIN; returns the words for a problem, or null when added (or already there).</summary>
    public async Task<string?> AddAsync(VehicleListKind kind, string vinText, string? reason, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        if (Vin.Normalize(vinText) is not { } vin) return $"'{vinText.Trim()}' is not a VIN: 17 characters A-Z and 0-9, without I, O and Q.";
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > 255 }) return "The reason is longer than 255 characters.";
        var added = await importer.AddAsync(kind, [(vin, reason)], ct);
        if (added == 0) return $"{vin} is already on the {kind.Name}.";
        await audit.RecordAsync("Added", ListEntity(kind), vin, null, new { Vin = vin, Reason = reason, List = kind.Name }, ct: ct);
        return null;
    }

    /// <summary>Soft-deletes entries (is_delete = 1, deleted_at now): they stay visible with "show deleted".</summary>
    public async Task<int> DeleteAsync(VehicleListKind kind, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        if (ids.Count == 0) throw new ConsoleCommandException("Select the entries to delete first.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var count = 0;
        if (kind.WhitelistType is { } type)
        {
            foreach (var entry in await db.Whitelist.Where(w => ids.Contains(w.Id) && w.Type == type && !w.IsDelete).ToListAsync(ct))
            {
                entry.IsDelete = true;
                entry.DeletedAt = now;
                count++;
            }
        }
        else
        {
            foreach (var entry in await db.Blacklist.Where(b => ids.Contains(b.Id) && !b.IsDelete).ToListAsync(ct))
            {
                entry.IsDelete = true;
                entry.DeletedAt = now;
                count++;
            }
        }
        await db.SaveChangesAsync(ct);
        return count;
    }

    private static string ListEntity(VehicleListKind kind) => kind.WhitelistType is null ? "BlacklistEntry" : "WhitelistEntry";
}
