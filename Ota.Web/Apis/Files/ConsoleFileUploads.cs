using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Ota.Infrastructure.Catalog.Files;
using Ota.Web.Hosting;

namespace Ota.Web.Apis.Files;

/// <summary>
/// The console's upload of a package file (SPEC §13): the Packages page sends the dropped file here with a streamed
/// <c>PUT</c> (so the browser shows real progress and a multi-GB build never passes through the circuit). Operators and
/// administrators only; the custom header keeps other sites' forms out (they cannot send it without CORS).
/// </summary>
public static class ConsoleFileUploads
{
    public const string Prefix = "/console/files";
    public const string RequiredHeader = "X-Ota-Console";

    public static string For(string packageKey) => $"{Prefix}/{Uri.EscapeDataString(packageKey)}";

    public static IEndpointRouteBuilder MapConsoleFileUploads(this IEndpointRouteBuilder app)
    {
        app.MapPut(Prefix + "/{key}", PutAsync)
            .RequireAuthorization(ConsoleAuth.EditPolicy)
            .WithMetadata(new DisableRequestSizeLimitAttribute())
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PutAsync(string key, string? name, HttpContext http, PackageFileUploads uploads)
    {
        if (http.Request.Headers[RequiredHeader].Count == 0)
            return ApiProblems.BadRequest("CONSOLE_HEADER_MISSING", $"Console uploads carry the {RequiredHeader} header.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        try
        {
            var uploaded = await uploads.UploadAsync(key, http.Request.Body, http.Request.ContentLength, name ?? key,
                http.User.Identity?.Name ?? "console", http.RequestAborted);
            var f = uploaded.File;
            return TypedResults.Ok(new OpenPackageFileApi.StoredFileAnswer(f.PackageKey, f.UploadedName, f.Size, f.Sha256, f.Sha1, f.Md5,
                f.UploadedAt, f.UploadedBy, uploaded.Replaced));
        }
        catch (PackageFileException e)
        {
            return ApiProblems.Problem(e.Status, e.Code, e.Message);
        }
    }
}
