using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Catalog;

/// <summary>
/// Imports a catalog file (SPEC §11): validates all of it, then upserts by natural keys in one transaction.
/// Only what differs is written, so importing the same file twice changes nothing.
/// </summary>
public sealed class CatalogImporter(IDbContextFactory<OtaDbContext> contexts, IDocumentStore documents, IKeyService keys, TimeProvider clock)
{
    public async Task<ImportReport> ImportFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await ImportAsync(stream, cancellationToken);
    }

    public async Task<ImportReport> ImportAsync(Stream json, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport();
        CatalogFile? file;
        try
        {
            file = await JsonSerializer.DeserializeAsync<CatalogFile>(json, CatalogFile.JsonOptions, cancellationToken);
        }
        catch (JsonException ex)
        {
            report.Problem(ex.Path is { Length: > 0 } p ? p : $"line {ex.LineNumber + 1}", "json", ex.Message.Split(" Path:")[0]);
            return report;
        }
        if (file is null)
        {
            report.Problem("$", "json", "the file holds no catalog object");
            return report;
        }
        return await ImportAsync(file, report, cancellationToken);
    }

    public async Task<ImportReport> ImportAsync(CatalogFile file, ImportReport? report = null, CancellationToken cancellationToken = default)
    {
        report ??= new ImportReport();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var known = await LoadKnownAsync(db, cancellationToken);
        CatalogValidator.Validate(file, known, report);
        report.RowsRead = file.SeriesModels.Count + file.Ecus.Count + file.Variants.Count + file.Baselines.Count
            + file.EcuPackages.Count + file.Packages.Count + file.Strategies.Count;
        if (!report.Succeeded) return report;

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
            var writer = new CatalogWriter(db, keys, clock.GetUtcNow().UtcDateTime, report);
            await writer.WriteAsync(file, cancellationToken);
            await tx.CommitAsync(cancellationToken);
        });

        // Variant definitions live in the document store (MongoDB at scale); written after the rows they refer to.
        foreach (var variant in file.Variants)
        {
            var id = variant.SeriesModel!.ToUpperInvariant();
            var json = variant.ToJson();
            var existing = await documents.GetAsync(DocumentCollections.Variants, id, cancellationToken);
            if (existing is not null && JsonNormal(existing) == JsonNormal(json)) continue;
            await documents.PutAsync(DocumentCollections.Variants, id, json, cancellationToken);
            report.Count(existing is null ? "variants inserted" : "variants updated");
        }
        return report;
    }

    private static string JsonNormal(string json) => VariantDocument.Parse(json)?.ToJson() ?? json;

    private static async Task<CatalogKnown> LoadKnownAsync(OtaDbContext db, CancellationToken ct)
    {
        var seriesModels = await db.SeriesModels.AsNoTracking().Select(s => new { s.Id, s.Code }).ToListAsync(ct);
        var smCode = seriesModels.ToDictionary(s => s.Id, s => s.Code);
        var ecus = await db.Ecus.AsNoTracking().Select(e => new { e.Id, e.Code }).ToListAsync(ct);
        var ecuCode = ecus.ToDictionary(e => e.Id, e => e.Code);
        var baselines = await db.Baselines.AsNoTracking().Select(b => new { b.SeriesModelId, b.Version }).ToListAsync(ct);
        var ecuPackages = new Dictionary<string, (string, string?)>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in await db.EcuFullPackages.AsNoTracking().Select(p => new { p.Key, p.EcuId }).ToListAsync(ct))
            ecuPackages[p.Key] = (ecuCode[p.EcuId], null);
        foreach (var p in await db.EcuDeltaPackages.AsNoTracking().Select(p => new { p.Key, p.EcuId, p.FromVersion }).ToListAsync(ct))
            ecuPackages[p.Key] = (ecuCode[p.EcuId], p.FromVersion);
        return new CatalogKnown(
            seriesModels.Select(s => s.Code).ToHashSet(StringComparer.OrdinalIgnoreCase),
            ecus.Select(e => e.Code).ToHashSet(StringComparer.OrdinalIgnoreCase),
            baselines.Select(b => (smCode[b.SeriesModelId], b.Version)).ToHashSet(),
            ecuPackages);
    }
}
