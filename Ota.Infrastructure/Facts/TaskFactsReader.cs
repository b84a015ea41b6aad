using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Facts;

/// <summary>What the task-level phases need, read once per task: package, baseline and strategy facts.</summary>
/// <param name="ConfigWordSeriesModels">Series-models whose variant definition says they support config words.</param>
public sealed record TaskFacts(TaskDefinition Definition, PackageFacts Package, long? PackageId, StrategyFacts Strategies,
    IReadOnlySet<long> ConfigWordSeriesModels)
{
    public TaskVerdict Verdict(int distinctVinCount) => TaskValidation.Validate(Definition, Package, Strategies, distinctVinCount);
}

/// <summary>Gathers the task-level facts of SPEC §3 (package and strategy phases) from the catalog.</summary>
public sealed class TaskFactsReader(IDbContextFactory<OtaDbContext> contexts, IDocumentStore documents)
{
    /// <summary>The series-model with this catalog code; null when there is none.</summary>
    public async Task<long?> SeriesModelIdAsync(string code, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SeriesModels.Where(s => s.Code == code).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
    }

    public async Task<TaskFacts> ReadAsync(TaskType type, TaskSource source, long seriesModelId, string targetVersion, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seriesModel = await db.SeriesModels.AsNoTracking().FirstOrDefaultAsync(s => s.Id == seriesModelId, ct)
            ?? throw new InvalidOperationException($"Series-model {seriesModelId} does not exist.");
        var definition = new TaskDefinition(type, source, seriesModel.Id, seriesModel.Code, seriesModel.Platform, targetVersion.Trim());
        var (package, packageId) = await ReadPackageAsync(db, definition, ct);
        var strategies = await ReadStrategiesAsync(db, seriesModelId, ct);
        var configWordSeriesModels = await ConfigWordSeriesModelsAsync(db, ct);
        return new TaskFacts(definition, package, packageId, strategies, configWordSeriesModels);
    }

    private static async Task<(PackageFacts, long?)> ReadPackageAsync(OtaDbContext db, TaskDefinition task, CancellationToken ct)
    {
        var version = task.TargetVersion;
        switch (task.TargetGeneration)
        {
            case Generation.OTA1:
            {
                var full = await db.TotalFullPackages.AsNoTracking()
                    .Where(p => p.SeriesModelId == task.SeriesModelId && p.Version == version)
                    .Select(p => new { p.Id, p.Status }).FirstOrDefaultAsync(ct);
                if (full is null) return (PackageFacts.NotFound, null);
                // OTA1 packages name no baseline; a Delivery task looks for the series-model's baseline of that version.
                var baseline = await BaselineAsync(db, task.SeriesModelId, version, null, ct);
                return (PackageFacts.Found(full.Status, baseline), full.Id);
            }
            case Generation.OTA2:
            {
                var package = await db.Ota2Packages.AsNoTracking()
                    .Where(p => p.SeriesModelId == task.SeriesModelId && p.Version == version)
                    .OrderBy(p => p.PackageType == PackageType.Full ? 0 : 1)
                    .Select(p => new { p.Id, p.Status, p.BaselineId }).FirstOrDefaultAsync(ct);
                if (package is null) return (PackageFacts.NotFound, null);
                var baseline = package.BaselineId is { } id ? await BaselineAsync(db, task.SeriesModelId, null, id, ct) : null;
                return (PackageFacts.Found(package.Status, baseline), package.Id);
            }
            default:
                return (PackageFacts.NotFound, null);
        }
    }

    private static async Task<BaselineFacts?> BaselineAsync(OtaDbContext db, long seriesModelId, string? version, long? id, CancellationToken ct)
    {
        var query = db.Baselines.AsNoTracking().Where(b => b.SeriesModelId == seriesModelId);
        query = id is { } baselineId ? query.Where(b => b.Id == baselineId) : query.Where(b => b.Version == version);
        var baseline = await query
            .Select(b => new
            {
                b.IsFormal,
                Description = db.BaselineDescriptions.Where(d => d.BaselineId == b.Id).Select(d => d.Description).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        return baseline is null ? null : new BaselineFacts(baseline.IsFormal, baseline.Description);
    }

    private static async Task<StrategyFacts> ReadStrategiesAsync(OtaDbContext db, long seriesModelId, CancellationToken ct)
    {
        var relations = await db.StrategySeriesModels.AsNoTracking()
            .Where(r => r.SeriesModelId == seriesModelId)
            .Join(db.Strategies, r => r.StrategyId, s => s.Id, (r, s) => new { s.Id, s.Name, r.IsDefault })
            .ToListAsync(ct);
        var ids = relations.Select(r => r.Id).ToList();
        var missing = await db.StrategyEcus.AsNoTracking()
            .Where(e => ids.Contains(e.StrategyId) && e.UpgradeOrder == null)
            .Join(db.Ecus, e => e.EcuId, ecu => ecu.Id, (e, ecu) => new { e.StrategyId, ecu.Code })
            .ToListAsync(ct);
        var strategies = relations
            .OrderBy(r => r.Id)
            .Select(r => new StrategyOrderFacts(r.Id, r.Name, missing.Where(m => m.StrategyId == r.Id).Select(m => m.Code).Order().ToList()))
            .ToList();
        return new StrategyFacts(relations.FirstOrDefault(r => r.IsDefault)?.Id, strategies);
    }

    private async Task<IReadOnlySet<long>> ConfigWordSeriesModelsAsync(OtaDbContext db, CancellationToken ct)
    {
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var document in await documents.ListAsync(DocumentCollections.Variants, 10_000, ct))
        {
            var variant = VariantDocument.Parse(document.Json);
            if (variant is { SupportsConfigWord: true, SeriesModel: { } code }) codes.Add(code);
        }
        if (codes.Count == 0) return new HashSet<long>();
        var all = await db.SeriesModels.AsNoTracking().Select(s => new { s.Id, s.Code }).ToListAsync(ct);
        return all.Where(s => codes.Contains(s.Code)).Select(s => s.Id).ToHashSet();
    }
}
