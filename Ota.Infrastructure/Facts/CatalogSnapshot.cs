using System.Collections.Concurrent;
using Ota.Domain;
using Ota.Domain.Vehicles.Packages;

namespace Ota.Infrastructure.Facts;

/// <summary>A series-model as the vehicle API needs it.</summary>
public sealed record SeriesModelEntry(long Id, string Code, string Platform);

/// <summary>An OTA1 full package with its wrapped key (null when not encrypted).</summary>
public sealed record Ota1FullEntry(long SeriesModelId, Ota1FullPackageFact Fact, string? WrappedKey);

public sealed record Ota1DeltaEntry(long SeriesModelId, Ota1DeltaPackageFact Fact, string? WrappedKey);

public sealed record Ota2Entry(long SeriesModelId, Ota2PackageFact Fact, string? WrappedKey);

/// <summary>
/// The whole catalog in memory as of one <see cref="Stamp"/>: packages with their ECU lists, strategies with their ECU
/// relations, variant definitions, and (filled on first use) the task-level facts per task shape. Immutable once built;
/// <see cref="CatalogCache"/> swaps in a new one when the stamp changes.
/// </summary>
public sealed class CatalogSnapshot
{
    private readonly ConcurrentDictionary<(TaskType, TaskSource, long, string), Task<TaskFacts>> _taskFacts = new();
    private readonly TaskFactsReader _taskFactsReader;

    internal CatalogSnapshot(
        string stamp,
        TaskFactsReader taskFactsReader,
        IReadOnlyDictionary<long, SeriesModelEntry> seriesModels,
        IReadOnlyDictionary<long, VariantDefinition> variants,
        IReadOnlyDictionary<long, StrategyFact> strategies,
        IReadOnlyDictionary<long, long> defaultStrategies,
        IReadOnlyDictionary<(long, string), Ota1FullEntry> ota1Full,
        IReadOnlyDictionary<(long, string, string), Ota1DeltaEntry> ota1Delta,
        IReadOnlyDictionary<(long, PackageType, string, string?), Ota2Entry> ota2)
    {
        Stamp = stamp;
        _taskFactsReader = taskFactsReader;
        SeriesModels = seriesModels;
        Variants = variants;
        Strategies = strategies;
        DefaultStrategies = defaultStrategies;
        Ota1Full = ota1Full;
        Ota1Delta = ota1Delta;
        Ota2 = ota2;
        ConfigWordSeriesModels = variants.Where(v => v.Value.SupportsConfigWord).Select(v => v.Key).ToHashSet();
    }

    public string Stamp { get; }

    /// <summary>The stored package files (SPEC §13) by their id, as the links name them.</summary>
    public IReadOnlyDictionary<long, StoredFileEntry> StoredFiles { get; init; } = new Dictionary<long, StoredFileEntry>();
    public IReadOnlyDictionary<long, SeriesModelEntry> SeriesModels { get; }
    /// <summary>Variant definitions by series-model id.</summary>
    public IReadOnlyDictionary<long, VariantDefinition> Variants { get; }
    public IReadOnlyDictionary<long, StrategyFact> Strategies { get; }
    /// <summary>The default strategy id of each series-model that has one.</summary>
    public IReadOnlyDictionary<long, long> DefaultStrategies { get; }
    /// <summary>By (series-model, version).</summary>
    public IReadOnlyDictionary<(long SeriesModelId, string Version), Ota1FullEntry> Ota1Full { get; }
    /// <summary>By (series-model, from version, version).</summary>
    public IReadOnlyDictionary<(long SeriesModelId, string FromVersion, string Version), Ota1DeltaEntry> Ota1Delta { get; }
    /// <summary>By (series-model, type, version, from version); full packages have a null from version.</summary>
    public IReadOnlyDictionary<(long SeriesModelId, PackageType Type, string Version, string? FromVersion), Ota2Entry> Ota2 { get; }
    /// <summary>Series-models whose variant supports config words (for <see cref="VehicleFactsReader"/>).</summary>
    public IReadOnlySet<long> ConfigWordSeriesModels { get; }

    public StrategyFact? DefaultStrategy(long seriesModelId) =>
        DefaultStrategies.TryGetValue(seriesModelId, out var id) && Strategies.TryGetValue(id, out var strategy) ? strategy : null;

    /// <summary>
    /// The OTA2 package for (series-model, current, target, type): a delta must start at the current version; a full
    /// package has no start version.
    /// </summary>
    public Ota2Entry? FindOta2(long seriesModelId, PackageType type, string currentVersion, string targetVersion) =>
        Ota2.GetValueOrDefault((seriesModelId, type, targetVersion, type == PackageType.Delta ? currentVersion : null));

    /// <summary>
    /// The package and strategy phases' facts (SPEC §3) for a task shape, read once per catalog stamp through the same
    /// <see cref="TaskFactsReader"/> that task validation uses, so both judge a task alike.
    /// </summary>
    public async Task<TaskFacts> TaskFactsAsync(TaskType type, TaskSource source, long seriesModelId, string targetVersion, CancellationToken ct)
    {
        var key = (type, source, seriesModelId, targetVersion);
        var pending = _taskFacts.GetOrAdd(key, k => _taskFactsReader.ReadAsync(k.Item1, k.Item2, k.Item3, k.Item4, CancellationToken.None));
        try
        {
            return await pending.WaitAsync(ct);
        }
        catch (Exception) when (pending.IsFaulted)
        {
            // A failed read (database hiccup) must not be remembered for the life of the snapshot.
            _taskFacts.TryRemove(new KeyValuePair<(TaskType, TaskSource, long, string), Task<TaskFacts>>(key, pending));
            throw;
        }
    }
}

/// <summary>A stored package file as a download serves it: where it is, the name it is offered under, its size and SHA-256.</summary>
public sealed record StoredFileEntry(long Id, string PackageKey, string StorageKey, string FileName, long Size, string Sha256, string Sha1, string Md5);
