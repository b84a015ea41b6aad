using Microsoft.Extensions.Caching.Memory;
using Ota.Domain;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.PackageInfo;

namespace Ota.Infrastructure.Ddi;

/// <summary>One file of a chunk: a stored package file (served by the DDI artifact download), or a catalogued external URL.</summary>
public sealed record DdiArtifact(string FileName, long Size, string Sha256, string? Sha1, string? Md5, long? StoredFileId, string? ExternalUrl);

/// <summary>One ECU of the vehicle's description, in upgrade order (hawkBit's chunk: <c>part</c> = ECU code).</summary>
public sealed record DdiChunk(string Part, string Version, string Name, IReadOnlyList<DdiArtifact> Artifacts);

/// <summary>An action's deployment (SPEC §14 mapping): <c>forced</c> for Forced tasks, <c>attempt</c> otherwise.</summary>
public sealed record DdiDeployment(long ActionId, bool Forced, IReadOnlyList<DdiChunk> Chunks);

/// <summary>Why a deployment cannot be described now (the vehicle no longer qualifies, no package leads to the target).</summary>
public sealed record DdiDeploymentRefusal(IReadOnlyList<string> Codes, string Detail);

/// <summary>
/// Describes an action's deployment with the same path as the native package-info answer (SPEC §7: the vehicle is checked
/// now, the strategy and the package resolved, the description stored as a snapshot), then maps its ECUs to chunks with
/// their stored files. A device fetches its deployment several times per install (SWUpdate: three times, then on every
/// poll until it reports); the answer is kept for a few minutes per notice so that it is described once.
/// </summary>
public sealed class DdiDeployments(PackageInfoService packages, CatalogCache catalog) : IDisposable
{
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <param name="linkBase">Where the device reached the app (the native description's links need it; the chunks link to the DDI download).</param>
    public async Task<(DdiDeployment? Deployment, DdiDeploymentRefusal? Refusal)> DescribeAsync(DdiDevice device, DdiAction action, string linkBase,
        CancellationToken ct)
    {
        var key = (device.Vin, action.TaskId);
        if (_cache.TryGetValue(key, out KeptDeployment? kept) && kept!.NotifiedAt == action.NotifiedAt) return (kept.Deployment, null);

        var outcome = await packages.DescribeAsync(new PackageInfoRequest(device.Vin, device.FirmwareVersion, action.TargetVersion, action.TaskId), ct, linkBase);
        if (outcome is not PackageInfoOutcome.Served served)
        {
            return (null, outcome switch
            {
                PackageInfoOutcome.Ineligible ineligible => new DdiDeploymentRefusal(ineligible.Codes, ineligible.Detail),
                PackageInfoOutcome.TaskVinNotFound notFound => new DdiDeploymentRefusal([PackageInfoService.TaskVinNotFoundCode], notFound.Detail),
                PackageInfoOutcome.Unavailable unavailable => new DdiDeploymentRefusal([unavailable.Code], unavailable.Detail),
                _ => new DdiDeploymentRefusal(["DESCRIPTION_UNAVAILABLE"], "The deployment cannot be described."),
            });
        }
        var snapshot = await catalog.GetAsync(ct);
        var chunks = served.Description.Ecus.Select(ecu =>
        {
            var artifact = ecu.StoredFileId is { } id && snapshot.StoredFiles.TryGetValue(id, out var file)
                ? new DdiArtifact(file.FileName, file.Size, file.Sha256, file.Sha1, file.Md5, file.Id, null)
                : new DdiArtifact(ecu.FileName, ecu.FileSize, ecu.Sha256, null, null, null, ecu.Url);
            return new DdiChunk(ecu.EcuCode, ecu.Version, ecu.EcuName, [artifact]);
        }).ToList();
        var deployment = new DdiDeployment(action.TaskId, action.Type == TaskType.Forced, chunks);
        _cache.Set(key, new KeptDeployment(action.NotifiedAt, deployment), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Kept });
        return (deployment, null);
    }

    /// <summary>The deployment last described for this device and task, if still kept (installedBase).</summary>
    public DdiDeployment? KeptFor(string vin, long taskId) =>
        _cache.TryGetValue((vin, taskId), out KeptDeployment? kept) ? kept!.Deployment : null;

    private sealed record KeptDeployment(DateTime NotifiedAt, DdiDeployment Deployment);

    public void Dispose() => _cache.Dispose();
}
