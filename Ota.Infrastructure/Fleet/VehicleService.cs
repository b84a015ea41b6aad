using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Fleet;

public sealed record VehicleFilter(string? VinPrefix = null, long? SeriesModelId = null, VehicleUsage? Usage = null, LifecycleStatus? Lifecycle = null,
    string? FirmwareVersion = null, bool? Sold = null, bool? Activated = null);

public sealed record VehicleRowView(string Vin, string SeriesModel, string Platform, LifecycleStatus Lifecycle, VehicleUsage Usage, bool Sold,
    bool Activated, string FirmwareVersion, string? ConfigWord, DateTime UpdatedAt, UpdateClient UpdateClient);

/// <summary>What a DDI device has (SPEC §14): whether it holds a token (never the token), and the attributes it sent (configData).</summary>
public sealed record DdiDeviceView(DateTime? TokenIssuedAt, IReadOnlyDictionary<string, string> Attributes, DateTime? AttributesAt);

/// <summary>The registry facts of one vehicle (never its secret) and where it stands.</summary>
public sealed record VehicleView(VehicleRowView Vehicle, bool PassengerCar, IReadOnlyList<string> Lists, string? LatestStatus, DdiDeviceView? Ddi = null);

/// <summary>One event in a vehicle's history.</summary>
public sealed record TimelineItem(DateTime At, string Kind, string Title, string? Detail, long? TaskId);

/// <summary>Vehicles: search (paged over the whole registry), the per-VIN timeline, and imports with the bad-row report.</summary>
public sealed class VehicleService(ConsoleUser user, IDbContextFactory<OtaDbContext> contexts, VehicleImporter importer, IDocumentStore documents,
    AuditTrail audit)
{
    /// <summary>Newest items read per kind of event for one timeline.</summary>
    public const int PerKind = 100;

    public async Task<PageResult<VehicleRowView>> SearchAsync(VehicleFilter filter, PageQuery page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vehicles = db.Vehicles.AsNoTracking();
        var prefix = filter.VinPrefix?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(prefix)) vehicles = vehicles.Where(v => v.Vin.StartsWith(prefix));
        vehicles = VehicleSelection.Matching(vehicles, filter.SeriesModelId, string.IsNullOrWhiteSpace(filter.FirmwareVersion) ? null : filter.FirmwareVersion.Trim(),
            filter.Lifecycle, filter.Usage, filter.Sold, filter.Activated);
        var total = await vehicles.LongCountAsync(ct);
        // A million rows sort only by the VIN key.
        var ordered = page.Descending ? vehicles.OrderByDescending(v => v.Vin) : vehicles.OrderBy(v => v.Vin);
        var rows = await ordered.Skip(page.Skip).Take(page.Size)
            .Join(db.SeriesModels, v => v.SeriesModelId, s => s.Id, (v, s) => new VehicleRowView(v.Vin, s.Code, v.Platform, v.LifecycleStatus, v.Usage,
                v.Sold, v.Activated, v.FirmwareVersion, v.ConfigWord, v.UpdatedAt, v.UpdateClient))
            .ToListAsync(ct);
        return new PageResult<VehicleRowView>(rows, total);
    }

    public async Task<VehicleView?> GetAsync(string vin, CancellationToken ct = default)
    {
        vin = Vin.Normalize(vin) ?? "";
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vehicle = await db.Vehicles.AsNoTracking().Where(v => v.Vin == vin)
            .Join(db.SeriesModels, v => v.SeriesModelId, s => s.Id, (v, s) => new { v, s.Code }).FirstOrDefaultAsync(ct);
        if (vehicle is null) return null;
        var lists = new List<string>();
        if (await db.Blacklist.AnyAsync(b => b.Vin == vin && !b.IsDelete, ct)) lists.Add("Blacklist");
        lists.AddRange((await db.Whitelist.AsNoTracking().Where(w => w.Vin == vin && !w.IsDelete).Select(w => w.Type).ToListAsync(ct))
            .Select(t => $"{t} whitelist"));
        var latest = await db.LatestStatuses.AsNoTracking().FirstOrDefaultAsync(l => l.Vin == vin, ct);
        var ddi = await db.DdiTargets.AsNoTracking().FirstOrDefaultAsync(d => d.Vin == vin, ct);
        var v = vehicle.v;
        return new VehicleView(new VehicleRowView(v.Vin, vehicle.Code, v.Platform, v.LifecycleStatus, v.Usage, v.Sold, v.Activated, v.FirmwareVersion,
                v.ConfigWord, v.UpdatedAt, v.UpdateClient), v.PassengerCar, lists,
            latest is null ? null : $"{latest.State}{(latest.ErrorType is { } e ? $" ({e})" : "")}, {latest.TriggerType}, task {latest.TaskId?.ToString() ?? "none"}, at {latest.ReportedAt:yyyy-MM-dd HH:mm:ss} UTC",
            ddi is null ? null : new DdiDeviceView(ddi.TokenIssuedAt,
                ddi.ConfigData is null ? new Dictionary<string, string>() : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(ddi.ConfigData) ?? [],
                ddi.ConfigDataAt));
    }

    /// <summary>Everything that happened to the vehicle, newest first: tasks, notices, descriptions served, progress, status, commands, EEPROM clears.</summary>
    public async Task<IReadOnlyList<TimelineItem>> TimelineAsync(string vin, CancellationToken ct = default)
    {
        vin = Vin.Normalize(vin) ?? "";
        await using var db = await contexts.CreateDbContextAsync(ct);
        var items = new List<TimelineItem>();

        var taskVins = await db.TaskVins.AsNoTracking().Where(t => t.Vin == vin).OrderByDescending(t => t.CreatedAt).Take(PerKind)
            .Join(db.Tasks, tv => tv.TaskId, t => t.Id, (tv, t) => new { tv, t.Name, t.Type })
            .ToListAsync(ct);
        foreach (var x in taskVins)
        {
            items.Add(new(x.tv.CreatedAt, "Task", $"Added to {x.Type} task #{x.tv.TaskId} '{x.Name}'",
                $"now {x.tv.State}{(x.tv.SupersededByTaskId is { } by ? $", superseded by task #{by}" : "")}{(x.tv.CloseReason is { } r ? $", closed: {r}" : "")}", x.tv.TaskId));
            if (x.tv.NotifiedAt is { } notified)
                items.Add(new(notified, "Task", $"Notified for task #{x.tv.TaskId}", $"message {x.tv.MessageId}, resends {x.tv.ResendCount}", x.tv.TaskId));
        }
        foreach (var n in await db.DownloadNotices.AsNoTracking().Where(n => n.Vin == vin).OrderByDescending(n => n.SentAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(n.SentAt, "Notice", $"{n.Kind} notice for task #{n.TaskId}", $"{n.UpgradeType}, version {n.Version}, package {n.PackageId}, message {n.MessageId}", n.TaskId));
        foreach (var d in await DescriptionsAsync(db, vin, ct))
            items.Add(new(d.CreatedAt, "Description", $"Package description served ({d.Id})", Shorten(d.Json, 300), null));
        foreach (var p in await db.DownloadProgress.AsNoTracking().Where(e => e.Vin == vin).OrderByDescending(e => e.OccurredAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(p.OccurredAt, "Download", $"Downloading {p.EcuCode}", $"{p.BytesDownloaded:N0} of {p.TotalBytes:N0} bytes", p.TaskId));
        foreach (var p in await db.UpgradeProgress.AsNoTracking().Where(e => e.Vin == vin).OrderByDescending(e => e.OccurredAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(p.OccurredAt, "Upgrade", $"Upgrading {p.EcuCode}", $"{p.Step}, {p.Percent}%", p.TaskId));
        foreach (var s in await db.UpgradeStatuses.AsNoTracking().Where(e => e.Vin == vin).OrderByDescending(e => e.OccurredAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(s.OccurredAt, "Status", $"{s.State}{(s.ErrorType is { } e ? $": {e}" : "")}",
                $"trigger {s.TriggerType}{(s.InnerErrorCode is { } c ? $", inner code {c}" : "")}{(s.Version is { } v ? $", version {v}" : "")}", s.TaskId));
        foreach (var c in await db.UpgradeCommands.AsNoTracking().Where(e => e.Vin == vin).OrderByDescending(e => e.OccurredAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(c.OccurredAt, "Command", c.Command.ToString(), c.ScheduledFor is { } at ? $"for {at:yyyy-MM-dd HH:mm} UTC" : null, c.TaskId));
        foreach (var e in await db.EepromClears.AsNoTracking().Where(e => e.Vin == vin).OrderByDescending(e => e.OccurredAt).Take(PerKind)
                     .Select(e => new { e.OccurredAt, e.EcuCode, e.Result, e.Sha256, e.TaskId }).ToListAsync(ct))
            items.Add(new(e.OccurredAt, "EEPROM", $"EEPROM clear of {e.EcuCode}: {e.Result}", $"sha256 {e.Sha256}", e.TaskId));
        foreach (var w in await db.WorkOrders.AsNoTracking().Where(w => w.Vin == vin).OrderByDescending(w => w.CreatedAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(w.CreatedAt, "Work order", w.Title, $"{w.Status}{(w.ErrorType is { } e ? $", {e}" : "")}", w.TaskId));
        foreach (var n in await db.Notifications.AsNoTracking().Where(n => n.Vin == vin).OrderByDescending(n => n.CreatedAt).Take(PerKind).ToListAsync(ct))
            items.Add(new(n.CreatedAt, "Message", $"{n.Channel}: {n.Title}", Shorten(n.Text, 300), n.TaskId));
        return items.OrderByDescending(i => i.At).ToList();
    }

    /// <summary>Descriptions served to the vehicle, from the MySQL document store's indexed <c>vin</c> column; another store is not searched by VIN.</summary>
    private async Task<IReadOnlyList<Ota.Infrastructure.Platform.Documents.StoredDocument>> DescriptionsAsync(OtaDbContext db, string vin, CancellationToken ct)
    {
        if (documents is not MySqlDocumentStore) return [];
        return await db.Set<Ota.Infrastructure.Platform.Documents.StoredDocument>().AsNoTracking()
            .Where(d => d.Collection == DocumentCollections.PackageDescriptions && EF.Property<string?>(d, StoredDocumentVin.Property) == vin)
            .OrderByDescending(d => d.CreatedAt).Take(PerKind).ToListAsync(ct);
    }

    /// <summary>Whether descriptions served can be listed per vehicle (the MySQL document store), for the page to say so.</summary>
    public bool ListsDescriptions => documents is MySqlDocumentStore;

    /// <summary>Imports vehicles from a stored upload with the importer of <c>./ota import vehicles</c>: every bad row reported, nothing written when any is bad.</summary>
    public async Task<ImportReport> ImportAsync(string path, string fileName, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        ImportReport report;
        try
        {
            report = await importer.ImportAsync(() => File.OpenRead(path), fileName, ct);
        }
        catch (TabularFileException ex)
        {
            report = new ImportReport();
            report.Problem("file", "-", ex.Message);
        }
        if (report.Succeeded)
            await audit.RecordAsync("Vehicles imported", "Vehicle", null, null, new { File = fileName, report.RowsRead, report.Written }, ct: ct);
        return report;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
