using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Domain.Vehicles.Packages;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Files;
using Ota.Infrastructure.Platform.Keys;

namespace Ota.Infrastructure.PackageInfo;

/// <summary>What became of a package-info request.</summary>
public abstract record PackageInfoOutcome
{
    /// <summary>The description, stored under <paramref name="DescriptionId"/>, as the JSON to return (and as the record it was made from).</summary>
    public sealed record Served(string DescriptionId, string Json, PackageDescription Description) : PackageInfoOutcome;

    /// <summary>404 TASK_VIN_NOT_FOUND.</summary>
    public sealed record TaskVinNotFound(string Detail) : PackageInfoOutcome;

    /// <summary>422: every reason code, the first one being "the" code.</summary>
    public sealed record Ineligible(IReadOnlyList<string> Codes, string Detail) : PackageInfoOutcome;

    /// <summary>The server cannot serve this package (its key does not unwrap): 500 with a code, logged.</summary>
    public sealed record Unavailable(string Code, string Detail) : PackageInfoOutcome;
}

/// <summary>
/// queryPackageTotalInfo (SPEC §7): finds the task, checks the vehicle now (SPEC §3 phases, through the same domain rules
/// and fact readers as task validation), resolves the strategy and the package, stores the description snapshot and
/// returns it. Per request: a share of a batched read of the vehicle's state (<see cref="VehicleStates"/>) and a share of
/// a batched snapshot write (<see cref="DescriptionSnapshots"/>); the catalog comes from <see cref="CatalogCache"/>.
/// </summary>
public sealed partial class PackageInfoService(
    VehicleStates states, CatalogCache catalog, IKeyService keys, DescriptionSnapshots snapshots, DownloadLinks links,
    ILogger<PackageInfoService> logger)
{
    public const string TaskVinNotFoundCode = "TASK_VIN_NOT_FOUND";
    public const string TargetVersionMismatchCode = "TARGET_VERSION_MISMATCH";
    public const string PackageKeyUnavailableCode = "PACKAGE_KEY_UNAVAILABLE";

    /// <param name="linkBase">The address the vehicle reached the app at, for the links to stored files (SPEC §13).</param>
    public async Task<PackageInfoOutcome> DescribeAsync(PackageInfoRequest request, CancellationToken ct = default, string? linkBase = null)
    {
        var snapshot = await catalog.GetAsync(ct);
        var (task, vinStrategy, latestStatusTaskId, vehicle) = await states.GetAsync(request, ct);
        if (request.TaskId is { } askedTask && task is null)
            return new PackageInfoOutcome.TaskVinNotFound($"Task {askedTask} does not hold VIN {request.Vin}.");

        if (!vehicle.Found)
            return new PackageInfoOutcome.Ineligible([ReasonCodes.VehicleNotFound], $"Vehicle {request.Vin} is not in the registry.");

        // The vehicle's own report of what it runs is newer than the registry's; and its upgrade in progress for this very
        // task is the upgrade being asked about, not another one in the way.
        vehicle = vehicle with { FirmwareVersion = request.CurrentVersion };
        if (task is not null && latestStatusTaskId == task.Id) vehicle = vehicle with { LatestState = null, LatestTrigger = null };

        var seriesModelId = task?.SeriesModelId ?? vehicle.SeriesModelId;
        if (!snapshot.SeriesModels.TryGetValue(seriesModelId, out var seriesModel))
            return new PackageInfoOutcome.Ineligible([ReasonCodes.PackageNotFound], $"Series-model {seriesModelId} is not in the catalog.");
        if (task is not null && FirmwareVersion.Compare(task.TargetVersion, request.TargetVersion) != 0)
            return new PackageInfoOutcome.Ineligible([TargetVersionMismatchCode],
                $"Task {task.Id} upgrades to {task.TargetVersion}, not {request.TargetVersion}.");

        // Without a task the vehicle is checked as for a Normal task from the console (SPEC §7).
        var type = task?.Type ?? TaskType.Normal;
        var source = task?.Source ?? TaskSource.Console;
        var taskFacts = await snapshot.TaskFactsAsync(type, source, seriesModel.Id, task?.TargetVersion ?? request.TargetVersion, ct);
        var definition = taskFacts.Definition;

        var codes = new List<string>(taskFacts.Verdict(1).Codes);
        codes.AddRange(VehicleEligibility.Evaluate(definition, vehicle).Codes());
        if (codes.Count > 0)
            return new PackageInfoOutcome.Ineligible(codes, Describe(taskFacts.Verdict(1), codes, request));

        var taskStrategy = TaskStrategyOf(task);
        var vinStrategies = vinStrategy is { } v && snapshot.Strategies.TryGetValue(v.StrategyId, out var own)
            ? [new VinStrategyRelationFact(v.RelationId, v.RelatedAt, own)]
            : Array.Empty<VinStrategyRelationFact>();
        var strategy = StrategyResolution.Resolve(taskStrategy, vinStrategies, snapshot.DefaultStrategy(seriesModel.Id));
        if (strategy is null)
            return new PackageInfoOutcome.Ineligible([ReasonCodes.StrategyDefaultMissing], $"Series-model {seriesModel.Code} has no default upgrade strategy.");

        var packageRequest = new PackageRequest(request.Vin, task?.Id, type, request.CurrentVersion, definition.TargetVersion);
        PackageDescription description;
        try
        {
            var described = definition.TargetGeneration == Generation.OTA1
                ? DescribeOta1(snapshot, seriesModel, packageRequest, strategy, vehicle.ConfigWord)
                : DescribeOta2(snapshot, seriesModel, packageRequest, strategy);
            if (described is null)
                return new PackageInfoOutcome.Ineligible([ReasonCodes.PackageNotFound],
                    $"No {strategy.PackageType} package of series-model {seriesModel.Code} leads from {request.CurrentVersion} to {definition.TargetVersion}.");
            description = described;
        }
        catch (KeyUnwrapException e)
        {
            LogKeyUnavailable(logger, request.Vin, e);
            return new PackageInfoOutcome.Unavailable(PackageKeyUnavailableCode, "The package's key cannot be recovered; operations has been told.");
        }

        var id = Guid.CreateVersion7().ToString("N");
        description = WithLinks(description, snapshot, linkBase);
        description = description with { DescriptionId = id };
        var json = JsonSerializer.Serialize(description, PackageInfoJsonContext.Default.PackageDescription);
        await snapshots.StoreAsync(id, json, ct);
        return new PackageInfoOutcome.Served(id, json, description);
    }

    private PackageDescription? DescribeOta1(CatalogSnapshot snapshot, SeriesModelEntry seriesModel, PackageRequest request,
        ResolvedStrategy strategy, string? configWord)
    {
        if (!snapshot.Ota1Full.TryGetValue((seriesModel.Id, request.TargetVersion), out var full)) return null;
        snapshot.Ota1Delta.TryGetValue((seriesModel.Id, request.CurrentVersion, request.TargetVersion), out var delta);
        var ignored = snapshot.Variants.TryGetValue(seriesModel.Id, out var variant)
            ? variant.IgnoredEcus(configWord)
            : new HashSet<string>();
        var facts = new Ota1PackageFacts(request, full.Fact, delta?.Fact, strategy, ignored);
        var main = Ota1Packages.SelectMain(facts);
        var wrapped = main.Type == PackageType.Delta ? delta?.WrappedKey : full.WrappedKey;
        return Ota1Packages.Describe(facts, KeyOf(main.Encrypted, wrapped, main.Id));
    }

    private PackageDescription? DescribeOta2(CatalogSnapshot snapshot, SeriesModelEntry seriesModel, PackageRequest request, ResolvedStrategy strategy)
    {
        foreach (var type in Ota2Packages.PackageTypesToTry(strategy.PackageType))
        {
            if (snapshot.FindOta2(seriesModel.Id, type, request.CurrentVersion, request.TargetVersion) is not { } package) continue;
            return Ota2Packages.Describe(request, package.Fact, strategy, KeyOf(package.Fact.Encrypted, package.WrappedKey, package.Fact.Id));
        }
        return null;
    }

    /// <summary>Each stored file's URL becomes a link for this vehicle that expires (SPEC §13); other URLs are served as catalogued.</summary>
    private PackageDescription WithLinks(PackageDescription description, CatalogSnapshot snapshot, string? linkBase)
    {
        if (description.Ecus.All(e => e.StoredFileId is null)) return description;
        return description with
        {
            Ecus = description.Ecus.Select(e => e.StoredFileId is { } fileId && snapshot.StoredFiles.TryGetValue(fileId, out var file)
                ? e with { Url = links.For(file.Id, file.StorageKey, file.FileName, description.Vin, linkBase) }
                : e).ToList(),
        };
    }

    private byte[]? KeyOf(bool encrypted, string? wrapped, long packageId)
    {
        if (!encrypted) return null;
        if (string.IsNullOrEmpty(wrapped)) throw new KeyUnwrapException($"Encrypted package {packageId} has no wrapped key.");
        return keys.Unwrap(wrapped);
    }

    /// <summary>A Sampling task's own strategy from its extension info (SPEC §3: full package, versions not compared).</summary>
    private static TaskStrategy? TaskStrategyOf(TaskRow? task)
    {
        if (task is null) return null;
        var sampling = TaskExtensionInfo.Parse(task.ExtensionInfo).SamplingStrategy;
        if (sampling is null && task.Type != TaskType.Sampling) return null;
        var name = $"Sampling task {task.Id}";
        return sampling is null ? new TaskStrategy(name) : new TaskStrategy(name, sampling.PackageType, sampling.VersionCompare);
    }

    private static string Describe(TaskVerdict taskVerdict, IReadOnlyList<string> codes, PackageInfoRequest request)
    {
        var details = taskVerdict.Failures.Select(f => f.Detail).ToList();
        var vehicleCodes = codes.Skip(taskVerdict.Failures.Count).ToList();
        if (vehicleCodes.Count > 0) details.Add($"Vehicle {request.Vin} is not eligible now: {string.Join(", ", vehicleCodes)}.");
        return string.Join(" ", details);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The package key for a description requested by {Vin} cannot be unwrapped")]
    private static partial void LogKeyUnavailable(ILogger logger, string vin, Exception exception);
}
