using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Domain.Vehicles.Packages;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Facts;

/// <summary>
/// Keeps the catalog (<see cref="CatalogSnapshot"/>) in memory for the vehicle API and follow-ups. Its stamp is computed
/// from the database (CHECKSUM TABLE over the catalog tables) and the variant documents, at most every
/// <see cref="VehicleApiOptions.CatalogCheckInterval"/>; a different stamp loads the catalog again. Because the stamp
/// comes from the data itself, every writer (import, console, SQL by hand) invalidates the cache, on every instance,
/// without Redis. <see cref="Invalidate"/> makes the next call check at once.
/// </summary>
public sealed class CatalogCache(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, IDocumentStore documents,
    TaskFactsReader taskFactsReader, IOptions<VehicleApiOptions> options, TimeProvider clock)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CatalogSnapshot? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private string[]? _tables;

    /// <summary>The next <see cref="GetAsync"/> compares the stamp with the database, whatever the interval.</summary>
    public void Invalidate() => _checkedAt = DateTimeOffset.MinValue;

    public async ValueTask<CatalogSnapshot> GetAsync(CancellationToken ct = default)
    {
        var current = _current;
        var interval = options.Value.CatalogCheckInterval;
        if (current is not null && clock.GetUtcNow() - _checkedAt < interval) return current;

        // While one caller checks the stamp, the others go on with the catalog they have.
        if (current is not null && interval > TimeSpan.Zero)
        {
            if (!await _gate.WaitAsync(0, ct)) return current;
        }
        else await _gate.WaitAsync(ct);
        try
        {
            var checkStarted = clock.GetUtcNow();
            if (_current is not null && checkStarted - _checkedAt < interval) return _current;
            var (stamp, variants) = await StampAsync(ct);
            if (_current?.Stamp != stamp) _current = await LoadAsync(stamp, variants, ct);
            _checkedAt = checkStarted;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Stamp, IReadOnlyList<StoredDocument> Variants)> StampAsync(CancellationToken ct)
    {
        _tables ??= await CatalogTablesAsync(ct);
        var text = new StringBuilder();
        await using (var connection = await connections.OpenAsync(ct))
        await using (var command = new MySqlCommand("CHECKSUM TABLE " + string.Join(", ", _tables.Select(t => $"`{t}`")), connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                text.Append(reader.GetString(0)).Append('=').Append(reader.IsDBNull(1) ? "-" : reader.GetValue(1)).Append(';');
        }
        var variants = await documents.ListAsync(DocumentCollections.Variants, 100_000, ct);
        foreach (var variant in variants) text.Append(variant.Id).Append(':').Append(variant.Json).Append(';');
        return (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), variants);
    }

    private async Task<string[]> CatalogTablesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        Type[] catalog =
        [
            typeof(SeriesModel), typeof(BaseEcu), typeof(Baseline), typeof(BaselineDescription), typeof(EcuFullPackage),
            typeof(EcuDeltaPackage), typeof(TotalFullPackage), typeof(TotalFullPackageEcu), typeof(TotalDeltaPackage),
            typeof(TotalDeltaPackageEcu), typeof(Ota2Package), typeof(Ota2PackageEcu), typeof(UpgradeStrategy),
            typeof(StrategyEcuRelation), typeof(StrategySeriesModelRelation), typeof(PackageFile),
        ];
        return catalog.Select(t => db.Model.FindEntityType(t)!.GetTableName()!).ToArray();
    }

    private async Task<CatalogSnapshot> LoadAsync(string stamp, IReadOnlyList<StoredDocument> variantDocuments, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seriesModels = await db.SeriesModels.AsNoTracking().ToDictionaryAsync(s => s.Id, s => new SeriesModelEntry(s.Id, s.Code, s.Platform), ct);
        var ecus = await db.Ecus.AsNoTracking().ToDictionaryAsync(e => e.Id, ct);
        var fullFiles = await db.EcuFullPackages.AsNoTracking().ToDictionaryAsync(e => e.Id, ct);
        var deltaFiles = await db.EcuDeltaPackages.AsNoTracking().ToDictionaryAsync(e => e.Id, ct);
        var stored = await db.PackageFiles.AsNoTracking().ToDictionaryAsync(f => f.PackageKey, StringComparer.Ordinal, ct);
        var storedFiles = new Dictionary<long, StoredFileEntry>();

        // A stored file's own size and SHA-256 are what its link serves, whatever the catalog says.
        PackageEcuFact Fact(BaseEcu ecu, string key, EcuPackageKind kind, string fileName, long size, string sha256, string url,
            string? fromVersion, string version)
        {
            if (!stored.TryGetValue(key, out var file))
                return new PackageEcuFact(ecu.Id, ecu.Code, ecu.Name, kind, fileName, size, sha256, url, fromVersion, version);
            storedFiles[file.Id] = new StoredFileEntry(file.Id, key, file.StorageKey, fileName, file.Size, file.Sha256, file.Sha1, file.Md5);
            return new PackageEcuFact(ecu.Id, ecu.Code, ecu.Name, kind, fileName, file.Size, file.Sha256, url, fromVersion, version, file.Id);
        }

        PackageEcuFact? EcuFact(long ecuId, long? fullFileId, long? deltaFileId)
        {
            if (!ecus.TryGetValue(ecuId, out var ecu)) return null;
            if (deltaFileId is { } d && deltaFiles.TryGetValue(d, out var delta))
                return Fact(ecu, delta.Key, delta.Kind, delta.FileName, delta.FileSize, delta.Sha256, delta.Url, delta.FromVersion, delta.Version);
            if (fullFileId is { } f && fullFiles.TryGetValue(f, out var full))
                return Fact(ecu, full.Key, full.Kind, full.FileName, full.FileSize, full.Sha256, full.Url, null, full.Version);
            return null;
        }

        var fullEcus = (await db.TotalFullPackageEcus.AsNoTracking().ToListAsync(ct))
            .ToLookup(e => e.PackageId, e => EcuFact(e.EcuId, e.EcuFullPackageId, null));
        var ota1Full = new Dictionary<(long, string), Ota1FullEntry>();
        foreach (var p in await db.TotalFullPackages.AsNoTracking().ToListAsync(ct))
        {
            var fact = new Ota1FullPackageFact(p.Id, p.Version, p.Status, p.Encrypted, p.UpgradePrompt, p.UpgradeResult, Present(fullEcus[p.Id]));
            ota1Full[(p.SeriesModelId, p.Version)] = new Ota1FullEntry(p.SeriesModelId, fact, p.WrappedKey);
        }

        var deltaEcus = (await db.TotalDeltaPackageEcus.AsNoTracking().ToListAsync(ct))
            .ToLookup(e => e.PackageId, e => EcuFact(e.EcuId, e.EcuFullPackageId, e.EcuDeltaPackageId));
        var ota1Delta = new Dictionary<(long, string, string), Ota1DeltaEntry>();
        foreach (var p in await db.TotalDeltaPackages.AsNoTracking().ToListAsync(ct))
        {
            var fact = new Ota1DeltaPackageFact(p.Id, p.FromVersion, p.Version, p.Status, p.Encrypted, Present(deltaEcus[p.Id]));
            ota1Delta[(p.SeriesModelId, p.FromVersion, p.Version)] = new Ota1DeltaEntry(p.SeriesModelId, fact, p.WrappedKey);
        }

        var baselineDescriptions = await db.BaselineDescriptions.AsNoTracking()
            .GroupBy(d => d.BaselineId).Select(g => new { g.Key, Description = g.OrderBy(d => d.Id).Select(d => d.Description).First() })
            .ToDictionaryAsync(d => d.Key, d => d.Description, ct);
        var ota2Ecus = (await db.Ota2PackageEcus.AsNoTracking().ToListAsync(ct))
            .ToLookup(e => e.PackageId, e => EcuFact(e.EcuId, e.EcuFullPackageId, e.EcuDeltaPackageId));
        var ota2 = new Dictionary<(long, PackageType, string, string?), Ota2Entry>();
        foreach (var p in await db.Ota2Packages.AsNoTracking().ToListAsync(ct))
        {
            var description = p.BaselineId is { } b ? baselineDescriptions.GetValueOrDefault(b) : null;
            var fact = new Ota2PackageFact(p.Id, p.PackageType, p.FromVersion, p.Version, p.Status, p.Encrypted,
                p.UpgradePrompt, p.UpgradeResult, description, Present(ota2Ecus[p.Id]));
            var from = p.PackageType == PackageType.Delta ? p.FromVersion : null;
            ota2[(p.SeriesModelId, p.PackageType, p.Version, from)] = new Ota2Entry(p.SeriesModelId, fact, p.WrappedKey);
        }

        var relations = (await db.StrategyEcus.AsNoTracking().ToListAsync(ct))
            .Where(r => ecus.ContainsKey(r.EcuId))
            .ToLookup(r => r.StrategyId, r => new StrategyEcuRelationFact(r.EcuId, ecus[r.EcuId].Code, r.UpgradeOrder, r.IsUpgrade));
        var strategies = (await db.Strategies.AsNoTracking().ToListAsync(ct))
            .ToDictionary(s => s.Id, s => new StrategyFact(s.Id, s.Name, s.PackageType, s.VersionCompare, relations[s.Id].ToList()));
        var defaults = (await db.StrategySeriesModels.AsNoTracking().Where(r => r.IsDefault).ToListAsync(ct))
            .GroupBy(r => r.SeriesModelId)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Id).First().StrategyId);

        var byCode = seriesModels.Values.ToDictionary(s => s.Code, s => s.Id, StringComparer.OrdinalIgnoreCase);
        var variants = new Dictionary<long, VariantDefinition>();
        foreach (var document in variantDocuments)
        {
            var item = VariantDocument.Parse(document.Json);
            if (item?.SeriesModel is not { } code || !byCode.TryGetValue(code, out var id)) continue;
            variants[id] = item.ToDefinition(code);
        }

        // Files of ECU packages no vehicle package uses yet: still served to links already made.
        var fileNames = fullFiles.Values.Select(p => (p.Key, p.FileName)).Concat(deltaFiles.Values.Select(p => (p.Key, p.FileName)))
            .ToDictionary(p => p.Key, p => p.FileName, StringComparer.Ordinal);
        foreach (var file in stored.Values.Where(f => !storedFiles.ContainsKey(f.Id)))
            storedFiles[file.Id] = new StoredFileEntry(file.Id, file.PackageKey, file.StorageKey,
                fileNames.GetValueOrDefault(file.PackageKey) ?? file.UploadedName, file.Size, file.Sha256, file.Sha1, file.Md5);

        return new CatalogSnapshot(stamp, taskFactsReader, seriesModels, variants, strategies, defaults, ota1Full, ota1Delta, ota2)
        {
            StoredFiles = storedFiles,
        };
    }

    // A package ECU whose file row is gone cannot be served; it is left out rather than sent without a URL.
    private static List<PackageEcuFact> Present(IEnumerable<PackageEcuFact?> ecus) => ecus.OfType<PackageEcuFact>().ToList();
}
