using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Catalog;

/// <summary>A vehicle-level package of either generation, as the packages page lists it.</summary>
public sealed record PackageRow(string Kind, long Id, string SeriesModel, string Version, string? FromVersion, PackageStatus Status,
    bool Encrypted, string? Baseline, string UpgradePrompt, string UpgradeResult, DateTime CreatedAt);

/// <summary>An ECU package of a vehicle-level package.</summary>
public sealed record EcuPackageRow(string EcuCode, string EcuName, string Type, EcuPackageKind Kind, string? FromVersion, string Version,
    string FileName, long FileSize, string Sha256, string Url);

/// <summary>An ECU package as the package-files tab lists it: what the catalog says and the file stored for it, if any.</summary>
public sealed record EcuPackageFileRow(string Key, string EcuCode, string Type, string? FromVersion, string Version, string FileName,
    long CatalogSize, string CatalogSha256, string Url, PackageFile? Stored);

public sealed record BaselineRow(long Id, string SeriesModel, string Version, bool IsFormal, string? Description, int Packages);

/// <summary>Read-only browsing of packages (OTA1 full and delta, OTA2) and baselines with their ECU packages.</summary>
public sealed class CatalogQueries(IDbContextFactory<OtaDbContext> contexts)
{
    public const string Ota1Full = "OTA1 full";
    public const string Ota1Delta = "OTA1 delta";
    public const string Ota2 = "OTA2";

    public async Task<IReadOnlyList<PackageRow>> PackagesAsync(long? seriesModelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sms = await db.SeriesModels.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, ct);
        var baselines = await db.Baselines.AsNoTracking().ToDictionaryAsync(b => b.Id, b => b.Version, ct);
        var full = await db.TotalFullPackages.AsNoTracking().Where(p => seriesModelId == null || p.SeriesModelId == seriesModelId).ToListAsync(ct);
        var delta = await db.TotalDeltaPackages.AsNoTracking().Where(p => seriesModelId == null || p.SeriesModelId == seriesModelId).ToListAsync(ct);
        var ota2 = await db.Ota2Packages.AsNoTracking().Where(p => seriesModelId == null || p.SeriesModelId == seriesModelId).ToListAsync(ct);
        return full.Select(p => new PackageRow(Ota1Full, p.Id, sms[p.SeriesModelId], p.Version, null, p.Status, p.Encrypted, null, p.UpgradePrompt, p.UpgradeResult, p.CreatedAt))
            .Concat(delta.Select(p => new PackageRow(Ota1Delta, p.Id, sms[p.SeriesModelId], p.Version, p.FromVersion, p.Status, p.Encrypted, null, p.UpgradePrompt, p.UpgradeResult, p.CreatedAt)))
            .Concat(ota2.Select(p => new PackageRow($"{Ota2} {p.PackageType.ToString().ToLowerInvariant()}", p.Id, sms[p.SeriesModelId], p.Version, p.FromVersion,
                p.Status, p.Encrypted, p.BaselineId is { } b ? baselines.GetValueOrDefault(b) : null, p.UpgradePrompt, p.UpgradeResult, p.CreatedAt)))
            .OrderBy(p => p.SeriesModel).ThenByDescending(p => p.Version, Comparer<string>.Create(FirmwareVersion.Compare)).ThenBy(p => p.Kind)
            .ToList();
    }

    public async Task<IReadOnlyList<EcuPackageRow>> EcuPackagesAsync(string kind, long packageId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        List<(long EcuId, long? DeltaId, long? FullId)> items = kind switch
        {
            Ota1Full => (await db.TotalFullPackageEcus.AsNoTracking().Where(e => e.PackageId == packageId).ToListAsync(ct))
                .Select(e => (e.EcuId, (long?)null, (long?)e.EcuFullPackageId)).ToList(),
            Ota1Delta => (await db.TotalDeltaPackageEcus.AsNoTracking().Where(e => e.PackageId == packageId).ToListAsync(ct))
                .Select(e => (e.EcuId, e.EcuDeltaPackageId, e.EcuFullPackageId)).ToList(),
            _ => (await db.Ota2PackageEcus.AsNoTracking().Where(e => e.PackageId == packageId).ToListAsync(ct))
                .Select(e => (e.EcuId, e.EcuDeltaPackageId, e.EcuFullPackageId)).ToList(),
        };
        var ecuIds = items.Select(i => i.EcuId).ToList();
        var ecus = await db.Ecus.AsNoTracking().Where(e => ecuIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var fullIds = items.Where(i => i.FullId != null).Select(i => i.FullId!.Value).ToList();
        var deltaIds = items.Where(i => i.DeltaId != null).Select(i => i.DeltaId!.Value).ToList();
        var fulls = await db.EcuFullPackages.AsNoTracking().Where(p => fullIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var deltas = await db.EcuDeltaPackages.AsNoTracking().Where(p => deltaIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var rows = new List<EcuPackageRow>();
        foreach (var (ecuId, deltaId, fullId) in items)
        {
            var ecu = ecus[ecuId];
            if (deltaId is { } d && deltas.TryGetValue(d, out var delta))
                rows.Add(new(ecu.Code, ecu.Name, "delta", delta.Kind, delta.FromVersion, delta.Version, delta.FileName, delta.FileSize, delta.Sha256, delta.Url));
            else if (fullId is { } f && fulls.TryGetValue(f, out var full))
                rows.Add(new(ecu.Code, ecu.Name, "full", full.Kind, null, full.Version, full.FileName, full.FileSize, full.Sha256, full.Url));
        }
        return rows.OrderBy(r => r.EcuCode).ToList();
    }

    /// <summary>Every ECU package (full and delta) with its stored file, by ECU and version.</summary>
    public async Task<IReadOnlyList<EcuPackageFileRow>> EcuPackageFilesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ecus = await db.Ecus.AsNoTracking().ToDictionaryAsync(e => e.Id, e => e.Code, ct);
        var stored = await db.PackageFiles.AsNoTracking().ToDictionaryAsync(f => f.PackageKey, ct);
        var full = (await db.EcuFullPackages.AsNoTracking().ToListAsync(ct)).Select(p => new EcuPackageFileRow(p.Key, ecus[p.EcuId], "full", null,
            p.Version, p.FileName, p.FileSize, p.Sha256, p.Url, stored.GetValueOrDefault(p.Key)));
        var delta = (await db.EcuDeltaPackages.AsNoTracking().ToListAsync(ct)).Select(p => new EcuPackageFileRow(p.Key, ecus[p.EcuId], "delta",
            p.FromVersion, p.Version, p.FileName, p.FileSize, p.Sha256, p.Url, stored.GetValueOrDefault(p.Key)));
        return full.Concat(delta).OrderBy(r => r.EcuCode).ThenByDescending(r => r.Version, Comparer<string>.Create(FirmwareVersion.Compare))
            .ThenBy(r => r.Type).ToList();
    }

    public async Task<IReadOnlyList<BaselineRow>> BaselinesAsync(long? seriesModelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sms = await db.SeriesModels.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, ct);
        var packages = await db.Ota2Packages.AsNoTracking().Where(p => p.BaselineId != null).GroupBy(p => p.BaselineId!.Value)
            .Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.N, ct);
        var baselines = await db.Baselines.AsNoTracking().Where(b => seriesModelId == null || b.SeriesModelId == seriesModelId)
            .Select(b => new
            {
                b.Id, b.SeriesModelId, b.Version, b.IsFormal,
                Description = db.BaselineDescriptions.Where(d => d.BaselineId == b.Id).Select(d => d.Description).FirstOrDefault()
            })
            .ToListAsync(ct);
        return baselines.Select(b => new BaselineRow(b.Id, sms[b.SeriesModelId], b.Version, b.IsFormal, b.Description, packages.GetValueOrDefault(b.Id)))
            .OrderBy(b => b.SeriesModel).ThenByDescending(b => b.Version, Comparer<string>.Create(FirmwareVersion.Compare)).ToList();
    }
}
