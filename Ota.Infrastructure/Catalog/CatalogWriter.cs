using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Catalog;

/// <summary>Upserts a validated catalog file into the tracked context, counting what it inserts and updates.</summary>
internal sealed class CatalogWriter(OtaDbContext db, IKeyService keys, DateTime now, ImportReport report)
{
    private static readonly StringComparer Cmp = StringComparer.OrdinalIgnoreCase;
    private Dictionary<string, SeriesModel> _seriesModels = null!;
    private Dictionary<string, BaseEcu> _ecus = null!;
    private Dictionary<(long, string), Baseline> _baselines = null!;
    private Dictionary<string, EcuFullPackage> _ecuFull = null!;
    private Dictionary<string, EcuDeltaPackage> _ecuDelta = null!;

    public async Task WriteAsync(CatalogFile file, CancellationToken ct)
    {
        _seriesModels = (await db.SeriesModels.ToListAsync(ct)).ToDictionary(s => s.Code, Cmp);
        foreach (var item in file.SeriesModels)
        {
            var entity = GetOrAdd(_seriesModels, item.Code!, () => new SeriesModel { Code = item.Code!.Trim() }, "series-models");
            entity.Series = item.Series!.Trim();
            entity.Model = item.Model!.Trim();
            entity.Platform = item.Platform!.Trim();
            entity.Name = item.Name?.Trim() ?? $"{item.Series} {item.Model}";
        }

        _ecus = (await db.Ecus.ToListAsync(ct)).ToDictionary(e => e.Code, Cmp);
        foreach (var item in file.Ecus)
        {
            var entity = GetOrAdd(_ecus, item.Code!, () => new BaseEcu { Code = item.Code!.Trim() }, "ECUs");
            entity.Name = item.Name!.Trim();
        }
        await SaveAsync(ct);

        await WriteBaselinesAsync(file, ct);
        await WriteEcuPackagesAsync(file, ct);
        await WritePackagesAsync(file, ct);
        await WriteStrategiesAsync(file, ct);
    }

    private async Task WriteBaselinesAsync(CatalogFile file, CancellationToken ct)
    {
        _baselines = (await db.Baselines.ToListAsync(ct)).ToDictionary(b => (b.SeriesModelId, b.Version));
        var descriptions = (await db.BaselineDescriptions.ToListAsync(ct)).ToDictionary(d => d.BaselineId);
        var added = new List<(Baseline, string)>();
        foreach (var item in file.Baselines)
        {
            var smId = _seriesModels[item.SeriesModel!].Id;
            var version = item.Version!.Trim();
            var isNew = !_baselines.TryGetValue((smId, version), out var baseline);
            if (isNew)
            {
                baseline = new Baseline { SeriesModelId = smId, Version = version };
                db.Baselines.Add(baseline);
                _baselines[(smId, version)] = baseline;
                report.Count("baselines inserted");
                added.Add((baseline, item.Description ?? ""));
            }
            baseline!.IsFormal = item.IsFormal;
            if (!isNew)
            {
                if (descriptions.TryGetValue(baseline.Id, out var d)) d.Description = item.Description ?? "";
                else db.BaselineDescriptions.Add(new BaselineDescription { BaselineId = baseline.Id, Description = item.Description ?? "" });
            }
        }
        await SaveAsync(ct);
        foreach (var (baseline, text) in added)
            db.BaselineDescriptions.Add(new BaselineDescription { BaselineId = baseline.Id, Description = text });
        await SaveAsync(ct);
    }

    private async Task WriteEcuPackagesAsync(CatalogFile file, CancellationToken ct)
    {
        _ecuFull = (await db.EcuFullPackages.ToListAsync(ct)).ToDictionary(p => p.Key, Cmp);
        _ecuDelta = (await db.EcuDeltaPackages.ToListAsync(ct)).ToDictionary(p => p.Key, Cmp);
        foreach (var item in file.EcuPackages)
        {
            FieldParsers.TryEnum(item.Kind, out EcuPackageKind kind);
            var ecuId = _ecus[item.Ecu!].Id;
            if (item.FromVersion is null)
            {
                var p = GetOrAdd(_ecuFull, item.Key!, () => new EcuFullPackage { Key = item.Key!.Trim() }, "ECU packages");
                (p.EcuId, p.Version, p.Kind, p.FileName, p.FileSize, p.Sha256, p.Url) =
                    (ecuId, item.Version!.Trim(), kind, item.FileName!.Trim(), item.FileSize, item.Sha256!.ToLowerInvariant(), item.Url!.Trim());
            }
            else
            {
                var p = GetOrAdd(_ecuDelta, item.Key!, () => new EcuDeltaPackage { Key = item.Key!.Trim() }, "ECU packages");
                (p.EcuId, p.FromVersion, p.Version, p.Kind, p.FileName, p.FileSize, p.Sha256, p.Url) =
                    (ecuId, item.FromVersion.Trim(), item.Version!.Trim(), kind, item.FileName!.Trim(), item.FileSize, item.Sha256!.ToLowerInvariant(), item.Url!.Trim());
            }
        }
        await SaveAsync(ct);
    }

    private async Task WritePackagesAsync(CatalogFile file, CancellationToken ct)
    {
        var full = (await db.TotalFullPackages.ToListAsync(ct)).ToDictionary(p => (p.SeriesModelId, p.Version));
        var delta = (await db.TotalDeltaPackages.ToListAsync(ct)).ToDictionary(p => (p.SeriesModelId, p.FromVersion, p.Version));
        var ota2 = (await db.Ota2Packages.ToListAsync(ct)).ToDictionary(p => (p.SeriesModelId, p.Version, p.PackageType, p.FromVersion));
        var fullEcus = await db.TotalFullPackageEcus.ToListAsync(ct);
        var deltaEcus = await db.TotalDeltaPackageEcus.ToListAsync(ct);
        var ota2Ecus = await db.Ota2PackageEcus.ToListAsync(ct);

        var pending = new List<Action>();
        foreach (var item in file.Packages)
        {
            FieldParsers.TryEnum(item.Type, out PackageType type);
            FieldParsers.TryEnum(item.Generation, out Generation generation);
            FieldParsers.TryEnum(item.Status, out PackageStatus status);
            var smId = _seriesModels[item.SeriesModel!].Id;
            var version = item.Version!.Trim();
            var from = item.FromVersion?.Trim();
            VehiclePackageBase package;
            if (generation == Generation.OTA2)
            {
                var p = GetOrAdd(ota2, (smId, version, type, from), () => new Ota2Package { SeriesModelId = smId, Version = version, PackageType = type, FromVersion = from, CreatedAt = now }, "packages");
                p.BaselineId = _baselines[(smId, item.Baseline!.Trim())].Id;
                package = p;
                pending.Add(() => SyncEcus(ota2Ecus, p.Id, item, (pkg, ecu, fullId, deltaId) => new Ota2PackageEcu { PackageId = pkg, EcuId = ecu, EcuFullPackageId = fullId, EcuDeltaPackageId = deltaId },
                    x => x.PackageId, x => x.EcuId, (x, f, d) => (x.EcuFullPackageId, x.EcuDeltaPackageId) = (f, d), x => (x.EcuFullPackageId, x.EcuDeltaPackageId)));
            }
            else if (type == PackageType.Full)
            {
                var p = GetOrAdd(full, (smId, version), () => new TotalFullPackage { SeriesModelId = smId, Version = version, CreatedAt = now }, "packages");
                package = p;
                pending.Add(() => SyncEcus(fullEcus, p.Id, item, (pkg, ecu, fullId, _) => new TotalFullPackageEcu { PackageId = pkg, EcuId = ecu, EcuFullPackageId = fullId!.Value },
                    x => x.PackageId, x => x.EcuId, (x, f, _) => x.EcuFullPackageId = f!.Value, x => ((long?)x.EcuFullPackageId, (long?)null)));
            }
            else
            {
                var p = GetOrAdd(delta, (smId, from!, version), () => new TotalDeltaPackage { SeriesModelId = smId, FromVersion = from!, Version = version, CreatedAt = now }, "packages");
                package = p;
                pending.Add(() => SyncEcus(deltaEcus, p.Id, item, (pkg, ecu, fullId, deltaId) => new TotalDeltaPackageEcu { PackageId = pkg, EcuId = ecu, EcuFullPackageId = fullId, EcuDeltaPackageId = deltaId },
                    x => x.PackageId, x => x.EcuId, (x, f, d) => (x.EcuFullPackageId, x.EcuDeltaPackageId) = (f, d), x => (x.EcuFullPackageId, x.EcuDeltaPackageId)));
            }
            package.Status = status;
            package.Encrypted = item.Encrypted;
            package.UpgradePrompt = item.UpgradePrompt ?? "";
            package.UpgradeResult = item.UpgradeResult ?? "";
            package.WrappedKey = KeyFor(item, package.WrappedKey);
        }
        await SaveAsync(ct);
        foreach (var sync in pending) sync();
        await SaveAsync(ct);
    }

    /// <summary>A given key is wrapped (AES key wrap is deterministic, so an unchanged key stays unchanged); otherwise an existing key is kept or a new one generated.</summary>
    private string? KeyFor(PackageItem item, string? current)
    {
        if (!item.Encrypted) return null;
        if (item.Key is not null) return keys.Wrap(Convert.FromBase64String(item.Key));
        return current ?? keys.Wrap(keys.GenerateKey());
    }

    private void SyncEcus<T>(List<T> all, long packageId, PackageItem item, Func<long, long, long?, long?, T> create,
        Func<T, long> package, Func<T, long> ecu, Action<T, long?, long?> set, Func<T, (long?, long?)> get) where T : class
    {
        var wanted = new Dictionary<long, (long? Full, long? Delta)>();
        foreach (var key in item.EcuPackages)
        {
            if (_ecuFull.TryGetValue(key, out var f)) wanted[f.EcuId] = (f.Id, null);
            else { var d = _ecuDelta[key]; wanted[d.EcuId] = (null, d.Id); }
        }
        var existing = all.Where(x => package(x) == packageId).ToList();
        foreach (var row in existing)
        {
            if (!wanted.TryGetValue(ecu(row), out var target))
            {
                db.Remove(row);
                all.Remove(row);
                report.Count("package ECUs removed");
            }
            else if (get(row) != target) set(row, target.Full, target.Delta);
        }
        foreach (var (ecuId, target) in wanted)
        {
            if (existing.Any(x => ecu(x) == ecuId)) continue;
            var row = create(packageId, ecuId, target.Full, target.Delta);
            db.Add(row);
            all.Add(row);
            report.Count("package ECUs inserted");
        }
    }

    private async Task WriteStrategiesAsync(CatalogFile file, CancellationToken ct)
    {
        var strategies = (await db.Strategies.ToListAsync(ct)).ToDictionary(s => s.Name, Cmp);
        foreach (var item in file.Strategies)
        {
            var s = GetOrAdd(strategies, item.Name!, () => new UpgradeStrategy { Name = item.Name!.Trim(), CreatedAt = now, UpdatedAt = now }, "strategies");
            FieldParsers.TryEnum(item.PackageType, out StrategyPackageType packageType);
            FieldParsers.TryEnum(item.VersionCompare, out VersionCompare compare);
            FieldParsers.TryEnum(item.UpgradeMode, out UpgradeMode mode);
            (s.PackageType, s.VersionCompare, s.UpgradeMode) = (packageType, compare, mode);
        }
        await SaveAsync(ct);

        var ecuRelations = await db.StrategyEcus.ToListAsync(ct);
        var smRelations = await db.StrategySeriesModels.ToListAsync(ct);
        var vinRelations = await db.StrategyVins.Select(v => new { v.StrategyId, v.Vin }).ToListAsync(ct);
        var vinSet = vinRelations.Select(v => (v.StrategyId, v.Vin)).ToHashSet();
        foreach (var item in file.Strategies)
        {
            var s = strategies[item.Name!];
            var wanted = item.Ecus.ToDictionary(e => _ecus[e.Ecu!].Id);
            foreach (var rel in ecuRelations.Where(r => r.StrategyId == s.Id).ToList())
            {
                if (!wanted.TryGetValue(rel.EcuId, out var e)) { db.Remove(rel); report.Count("strategy ECUs removed"); continue; }
                (rel.UpgradeOrder, rel.IsUpgrade) = (e.Order, e.IsUpgrade);
                wanted.Remove(rel.EcuId);
            }
            foreach (var (ecuId, e) in wanted)
            {
                db.StrategyEcus.Add(new StrategyEcuRelation { StrategyId = s.Id, EcuId = ecuId, UpgradeOrder = e.Order, IsUpgrade = e.IsUpgrade });
                report.Count("strategy ECUs inserted");
            }

            foreach (var sm in item.SeriesModels)
            {
                var smId = _seriesModels[sm.SeriesModel!].Id;
                var rel = smRelations.FirstOrDefault(r => r.StrategyId == s.Id && r.SeriesModelId == smId);
                if (rel is null)
                {
                    rel = new StrategySeriesModelRelation { StrategyId = s.Id, SeriesModelId = smId };
                    db.StrategySeriesModels.Add(rel);
                    smRelations.Add(rel);
                    report.Count("strategy series-models inserted");
                }
                rel.IsDefault = sm.IsDefault;
                if (!sm.IsDefault) continue;
                // The file names this strategy the default: no other strategy of the series-model stays default.
                foreach (var other in smRelations.Where(r => r.SeriesModelId == smId && r.StrategyId != s.Id && r.IsDefault))
                {
                    other.IsDefault = false;
                    report.Count("default strategies moved");
                }
            }

            foreach (var raw in item.Vins)
            {
                var vin = Ota.Domain.Vin.Normalize(raw)!;
                if (!vinSet.Add((s.Id, vin))) continue;
                db.StrategyVins.Add(new StrategyVinRelation { StrategyId = s.Id, Vin = vin, CreatedAt = now });
                report.Count("strategy VINs inserted");
            }
        }
        await SaveAsync(ct);
    }

    private TEntity GetOrAdd<TKey, TEntity>(Dictionary<TKey, TEntity> index, TKey key, Func<TEntity> create, string what)
        where TKey : notnull where TEntity : class
    {
        if (index.TryGetValue(key, out var entity)) return entity;
        entity = create();
        db.Add(entity);
        index[key] = entity;
        report.Count($"{what} inserted");
        return entity;
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        db.ChangeTracker.DetectChanges();
        var updated = db.ChangeTracker.Entries().Count(e => e.State == EntityState.Modified);
        if (updated > 0) report.Count("rows updated", updated);
        await db.SaveChangesAsync(ct);
    }
}
