using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ota.Domain.Vehicles.Ddi;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Files;
using Ota.Web.Apis.Files;

namespace Ota.Web.Apis.Ddi;

/// <summary>
/// The Eclipse hawkBit Direct Device Integration API v1 (SPEC §14), with hawkBit's paths, JSON and status codes, so that
/// off-the-shelf clients (SWUpdate's suricatta, rauc-hawkbit-updater, Zephyr's hawkBit client) take the same tasks as the
/// vehicles that speak the native API. The controller id is the VIN; an action is a task-VIN and its id the task's id.
/// </summary>
public static class DdiApi
{
    public const string ActionNotFound = "DDI_ACTION_NOT_FOUND";
    public const string ActionClosed = "DDI_ACTION_CLOSED";
    public const string DeploymentUnavailable = "DDI_DEPLOYMENT_UNAVAILABLE";
    public const string ArtifactNotFound = "DDI_ARTIFACT_NOT_FOUND";

    /// <summary>Bodies of feedback and configData: SWUpdate sends up to 48 log lines in one feedback.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private const string Md5SumSuffix = ".MD5SUM";

    public static IEndpointRouteBuilder MapDdiApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/{tenant}/controller/v1/{controllerId}").WithTags("DDI (hawkBit)")
            .AddEndpointFilter<DdiAuthentication>()
            .RequireRateLimiting(RateLimitPolicies.Ddi);
        group.MapGet("", Poll).WithName("DdiPoll");
        group.MapGet("/deploymentBase/{actionId:long}", DeploymentAsync).WithName("DdiDeploymentBase");
        group.MapPost("/deploymentBase/{actionId:long}/feedback", (HttpContext http, long actionId, DdiFeedbackWriter writer) =>
            FeedbackAsync(http, actionId, DdiFeedbackTarget.Deployment, writer)).WithName("DdiDeploymentFeedback");
        group.MapGet("/cancelAction/{actionId:long}", Cancel).WithName("DdiCancelAction");
        group.MapPost("/cancelAction/{actionId:long}/feedback", (HttpContext http, long actionId, DdiFeedbackWriter writer) =>
            FeedbackAsync(http, actionId, DdiFeedbackTarget.Cancel, writer)).WithName("DdiCancelFeedback");
        group.MapPut("/configData", ConfigDataAsync).WithName("DdiConfigData");
        group.MapGet("/installedBase/{actionId:long}", InstalledBase).WithName("DdiInstalledBase");
        group.MapGet("/softwaremodules/{moduleId:long}/artifacts", ArtifactsAsync).WithName("DdiArtifacts");
        group.MapMethods("/softwaremodules/{moduleId:long}/artifacts/{fileName}", [HttpMethods.Get, HttpMethods.Head], DownloadAsync)
            .WithName("DdiArtifactDownload");
        return app;
    }

    private static IResult Poll(HttpContext http, IOptions<DdiOptions> options)
    {
        var device = DdiAuthentication.DeviceOf(http);
        var links = new Dictionary<string, DdiLink>(3);
        var root = Root(http);
        switch (device.Action)
        {
            case { Kind: DdiActionKind.Cancel } cancel:
                links["cancelAction"] = new($"{root}/cancelAction/{cancel.TaskId}");
                break;
            case { } deployment:
                links["deploymentBase"] = new($"{root}/deploymentBase/{deployment.TaskId}?c={Stamp(deployment)}");
                break;
        }
        if (device.InstalledTaskId is { } installed) links["installedBase"] = new($"{root}/installedBase/{installed}");
        if (device.ConfigRequested) links["configData"] = new($"{root}/configData");
        var sleep = options.Value.PollingSleep.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        var body = JsonSerializer.SerializeToUtf8Bytes(new DdiControllerBase(new DdiConfig(new DdiPolling(sleep)), links.Count == 0 ? null : links),
            DdiJsonContext.Default.DdiControllerBase);
        // hawkBit answers a poll with an ETag and a matching If-None-Match with 304.
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 12))}\"";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(body, "application/hal+json");
    }

    private static async Task<IResult> DeploymentAsync(HttpContext http, long actionId, DdiDeployments deployments)
    {
        var device = DdiAuthentication.DeviceOf(http);
        if (device.Action is not { Kind: DdiActionKind.Deployment } action || action.TaskId != actionId)
            return NotFound(ActionNotFound, $"Action {actionId} is not open for {device.Vin}.");
        var (deployment, refusal) = await deployments.DescribeAsync(device, action, Vehicles.VehicleApi.LinkBase(http.Request), http.RequestAborted);
        if (deployment is null)
            return ApiProblems.Problem(StatusCodes.Status404NotFound, DeploymentUnavailable, refusal!.Detail, refusal.Codes);
        return TypedResults.Json(ToJson(http, deployment), DdiJsonContext.Default.DdiDeploymentBase, "application/hal+json");
    }

    private static IResult Cancel(HttpContext http, long actionId)
    {
        var device = DdiAuthentication.DeviceOf(http);
        if (device.Action is not { Kind: DdiActionKind.Cancel } action || action.TaskId != actionId)
            return NotFound(ActionNotFound, $"Action {actionId} of {device.Vin} is not being cancelled.");
        var id = actionId.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Json(new DdiCancel(id, new DdiCancelAction(id)), DdiJsonContext.Default.DdiCancel, "application/hal+json");
    }

    private static IResult InstalledBase(HttpContext http, long actionId, DdiDeployments deployments)
    {
        var device = DdiAuthentication.DeviceOf(http);
        if (device.InstalledTaskId != actionId) return NotFound(ActionNotFound, $"Action {actionId} is not {device.Vin}'s installed one.");
        // The chunks are known while the deployment is kept; after that the action alone.
        var deployment = deployments.KeptFor(device.Vin, actionId) ?? new DdiDeployment(actionId, false, []);
        return TypedResults.Json(ToJson(http, deployment), DdiJsonContext.Default.DdiDeploymentBase, "application/hal+json");
    }

    private static async Task<IResult> FeedbackAsync(HttpContext http, long actionId, DdiFeedbackTarget target, DdiFeedbackWriter writer)
    {
        var device = DdiAuthentication.DeviceOf(http);
        if (await BoundedBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted) is not { } body)
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, DdiBodies.FeedbackInvalid, $"A feedback body is at most {MaxBodyBytes:N0} bytes.");
        var (feedback, sentAt, error) = DdiBodies.ParseFeedback(body);
        if (error is not null) return ApiProblems.BadRequest(error.Code, error.Detail);
        return await writer.StoreAsync(device.Vin, actionId, target, feedback!, sentAt, body, http.RequestAborted) switch
        {
            DdiFeedbackResult.Stored => TypedResults.Ok(),
            DdiFeedbackResult.ActionClosed => ApiProblems.Problem(StatusCodes.Status410Gone, ActionClosed, $"Action {actionId} of {device.Vin} is closed."),
            _ => NotFound(ActionNotFound, target == DdiFeedbackTarget.Cancel
                ? $"Action {actionId} of {device.Vin} is not being cancelled."
                : $"{device.Vin} has no action {actionId}."),
        };
    }

    private static async Task<IResult> ConfigDataAsync(HttpContext http, DdiConfigData configData)
    {
        var device = DdiAuthentication.DeviceOf(http);
        if (await BoundedBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted) is not { } body)
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, DdiBodies.ConfigDataInvalid, $"A configData body is at most {MaxBodyBytes:N0} bytes.");
        var (mode, data, error) = DdiBodies.ParseConfigData(body);
        if (error is not null) return ApiProblems.BadRequest(error.Code, error.Detail);
        try
        {
            await configData.SaveAsync(device.Vin, mode, data!, http.RequestAborted);
        }
        catch (ArgumentException e)
        {
            return ApiProblems.BadRequest(DdiBodies.ConfigDataInvalid, e.Message);
        }
        return TypedResults.Ok();
    }

    private static async Task<IResult> ArtifactsAsync(HttpContext http, long moduleId, CatalogCache catalog)
    {
        if (await StoredFileAsync(catalog, moduleId, http.RequestAborted) is not { } file)
            return NotFound(ArtifactNotFound, $"There is no software module {moduleId}.");
        IReadOnlyList<DdiArtifactJson> artifacts = [ToJson(http, new DdiArtifact(file.FileName, file.Size, file.Sha256, file.Sha1, file.Md5, file.Id, null))];
        return TypedResults.Json(artifacts, DdiJsonContext.Default.IReadOnlyListDdiArtifactJson, "application/hal+json");
    }

    /// <summary>An artifact's bytes (ranges as <c>/files/v1</c>), or its <c>.MD5SUM</c> line; a file in S3 is a redirect to a presigned link.</summary>
    private static async Task DownloadAsync(HttpContext http, long moduleId, string fileName, CatalogCache catalog, IFileStore store, IOptions<FileStoreOptions> files)
    {
        var file = await StoredFileAsync(catalog, moduleId, http.RequestAborted);
        var md5Sum = file is not null && fileName == file.FileName + Md5SumSuffix;
        if (file is null || (fileName != file.FileName && !md5Sum))
        {
            await NotFound(ArtifactNotFound, $"Software module {moduleId} has no artifact '{fileName}'.").ExecuteAsync(http);
            return;
        }
        if (md5Sum)
        {
            await TypedResults.Text($"{file.Md5}  {file.FileName}", "text/plain", Encoding.ASCII).ExecuteAsync(http);
            return;
        }
        if (store.LocalPath(file.StorageKey) is not { } path)
        {
            var link = store.PresignedGet(file.StorageKey, files.Value.LinkLifetime, file.FileName);
            await (link is null ? NotFound(ArtifactNotFound, "The artifact is not stored.") : TypedResults.Redirect(link.ToString())).ExecuteAsync(http);
            return;
        }
        http.Response.Headers[FileDownloadApi.Sha256Header] = file.Sha256;
        try
        {
            await FileResponse.SendAsync(http, path, file.FileName, file.Sha256);
        }
        catch (FileNotFoundException) when (!http.Response.HasStarted)
        {
            http.Response.Headers.Remove(FileDownloadApi.Sha256Header);
            await NotFound(ArtifactNotFound, "The artifact has been deleted.").ExecuteAsync(http);
        }
    }

    private static async Task<StoredFileEntry?> StoredFileAsync(CatalogCache catalog, long id, CancellationToken ct)
    {
        var snapshot = await catalog.GetAsync(ct);
        if (snapshot.StoredFiles.TryGetValue(id, out var file)) return file;
        // Uploaded through another instance since this one last looked.
        catalog.Invalidate();
        return (await catalog.GetAsync(ct)).StoredFiles.GetValueOrDefault(id);
    }

    private static DdiDeploymentBase ToJson(HttpContext http, DdiDeployment deployment)
    {
        var handling = deployment.Forced ? "forced" : "attempt";
        var chunks = deployment.Chunks.Select(c => new DdiChunkJson(c.Part, c.Version, c.Name, c.Artifacts.Select(a => ToJson(http, a)).ToList())).ToList();
        return new DdiDeploymentBase(deployment.ActionId.ToString(CultureInfo.InvariantCulture), new DdiDeploymentJson(handling, handling, chunks));
    }

    private static DdiArtifactJson ToJson(HttpContext http, DdiArtifact artifact)
    {
        var links = new Dictionary<string, DdiLink>(4);
        if (artifact.StoredFileId is { } module)
        {
            var href = $"{Root(http)}/softwaremodules/{module}/artifacts/{Uri.EscapeDataString(artifact.FileName)}";
            links["download"] = links["download-http"] = new(href);
            links["md5sum"] = links["md5sum-http"] = new(href + Md5SumSuffix);
        }
        else if (artifact.ExternalUrl is { Length: > 0 } external)
        {
            links["download"] = links["download-http"] = new(external);
        }
        return new DdiArtifactJson(artifact.FileName, new DdiHashes(artifact.Sha1, artifact.Md5, artifact.Sha256), artifact.Size, links);
    }

    /// <summary>The device's own base, as it called it (the tenant in its spelling): SWUpdate builds some paths itself.</summary>
    private static string Root(HttpContext http)
    {
        var request = http.Request;
        return $"{request.Scheme}://{request.Host}{request.PathBase}/{request.RouteValues["tenant"]}/controller/v1/{request.RouteValues["controllerId"]}";
    }

    /// <summary>hawkBit's <c>?c=</c>: a number that changes when the action does (here: when it is notified again).</summary>
    private static int Stamp(DdiAction action) =>
        unchecked((int)(action.TaskId * 31 + action.NotifiedAt.Ticks / TimeSpan.TicksPerMillisecond * 17));

    private static IResult NotFound(string code, string detail) => ApiProblems.Problem(StatusCodes.Status404NotFound, code, detail);
}
