using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Ota.Domain.Operations;
using Ota.Infrastructure.Catalog.Files;

namespace Ota.Web.Apis.Files;

/// <summary>
/// <c>PUT /ota/open/api/ecu-packages/{key}/file</c> (SPEC §13): the request body, streamed, becomes the ECU package's
/// stored file. The answer gives its size and digests; a refusal is problem+json with the upload's code.
/// </summary>
public static class OpenPackageFileApi
{
    public sealed record StoredFileAnswer(string PackageKey, string FileName, long Size, string Sha256, string Sha1, string Md5,
        DateTime UploadedAt, string UploadedBy, bool Replaced);

    public static IEndpointRouteBuilder MapOpenPackageFileApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/ota/open/api/ecu-packages/{key}/file", PutAsync)
            .WithName("PutEcuPackageFile").WithTags("Open API")
            .LimitedBy(RateLimitPolicies.ApiKey)
            .RequireApiKey(ApiScopes.CatalogWrite)
            // The upload enforces Files:MaxBytes itself (FILE_TOO_LARGE), while it streams.
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .DocumentsBody<Stream>("application/octet-stream")
            .Produces<StoredFileAnswer>(StatusCodes.Status200OK)
            .Produces<StoredFileAnswer>(StatusCodes.Status201Created)
            .Problems(StatusCodes.Status400BadRequest, PackageFileException.Incomplete)
            .Problems(StatusCodes.Status404NotFound, PackageFileException.PackageNotFound)
            .Problems(StatusCodes.Status409Conflict, PackageFileException.InUse)
            .Problems(StatusCodes.Status413PayloadTooLarge, PackageFileException.TooLarge)
            .Problems(StatusCodes.Status422UnprocessableEntity, PackageFileException.HashMismatch, PackageFileException.SizeMismatch);
        return app;
    }

    private static async Task<IResult> PutAsync(string key, HttpContext http, PackageFileUploads uploads)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        var name = ContentDispositionHeaderValue.TryParse(http.Request.Headers.ContentDisposition.ToString(), out var disposition)
            ? (disposition.FileNameStar.Value ?? disposition.FileName.Value)?.Trim('"')
            : null;
        try
        {
            var uploaded = await uploads.UploadAsync(key, http.Request.Body, http.Request.ContentLength, name ?? key,
                ApiKeyAuth.CallerName(http), http.RequestAborted);
            var f = uploaded.File;
            var answer = new StoredFileAnswer(f.PackageKey, f.UploadedName, f.Size, f.Sha256, f.Sha1, f.Md5, f.UploadedAt, f.UploadedBy, uploaded.Replaced);
            return uploaded.Replaced ? TypedResults.Ok(answer) : TypedResults.Created($"/ota/open/api/ecu-packages/{Uri.EscapeDataString(key)}/file", answer);
        }
        catch (PackageFileException e)
        {
            return ApiProblems.Problem(e.Status, e.Code, e.Message);
        }
    }
}
