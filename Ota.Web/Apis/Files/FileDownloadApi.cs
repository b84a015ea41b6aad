using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Files;

namespace Ota.Web.Apis.Files;

/// <summary>
/// The app's download links (SPEC §13): <c>GET</c> and <c>HEAD /files/v1/{token}</c>, a stored file served from disk with
/// ranges (<c>206</c>, <c>If-Range</c>, a strong <c>ETag</c> that is its SHA-256) without loading it into memory.
/// A link works for whoever holds it until it expires, as an S3 presigned link does; a vehicle that names itself
/// (<c>X-Ota-Vin</c>) is refused another vehicle's. A forged or altered link answers 403 <c>LINK_INVALID</c>; an old one 403
/// <c>LINK_EXPIRED</c>; a file deleted or replaced since 404 <c>FILE_NOT_FOUND</c>.
/// </summary>
public static class FileDownloadApi
{
    public const string LinkExpired = "LINK_EXPIRED";
    public const string LinkInvalid = "LINK_INVALID";
    public const string FileNotFound = PackageFileException.FileNotFound;
    public const string Sha256Header = "X-Checksum-Sha256";

    public static IEndpointRouteBuilder MapFileDownloads(this IEndpointRouteBuilder app)
    {
        app.MapMethods(FileLinks.PathPrefix + "{token}", [HttpMethods.Get, HttpMethods.Head], ServeAsync)
            .WithName("DownloadPackageFile").WithTags("Files")
            .LimitedBy(RateLimitPolicies.FileLink)
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Problems(StatusCodes.Status403Forbidden, LinkInvalid, LinkExpired)
            .Problems(StatusCodes.Status404NotFound, FileNotFound);
        return app;
    }

    private static async Task ServeAsync(string token, HttpContext http, FileLinks links, CatalogCache catalog, IFileStore store)
    {
        var (refusal, path, file) = await FindAsync(token, http, links, catalog, store);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(http);
            return;
        }
        http.Response.Headers[Sha256Header] = file!.Sha256;
        http.Response.Headers.CacheControl = "private, max-age=0";
        try
        {
            await FileResponse.SendAsync(http, path!, file.FileName, file.Sha256);
        }
        catch (FileNotFoundException) when (!http.Response.HasStarted)
        {
            // Deleted between the look-up and the open.
            http.Response.Headers.Remove(Sha256Header);
            await ApiProblems.Problem(StatusCodes.Status404NotFound, FileNotFound, "The file of this link has been deleted since the link was made.").ExecuteAsync(http);
        }
    }

    /// <summary>The file a link names and where it is, or the refusal to answer instead.</summary>
    private static async Task<(IResult? Refusal, string? Path, StoredFileEntry? File)> FindAsync(string token, HttpContext http, FileLinks links,
        CatalogCache catalog, IFileStore store)
    {
        var link = links.Check(token);
        if (link.Verdict == LinkVerdict.Invalid)
            return (ApiProblems.Problem(StatusCodes.Status403Forbidden, LinkInvalid, "This download link is not genuine: it was altered or never issued."), null, null);
        // A vehicle that says who it is may only use its own links.
        if (http.Request.Headers["X-Ota-Vin"].ToString() is { Length: > 0 } presenter && !string.Equals(presenter, link.Vin, StringComparison.OrdinalIgnoreCase))
            return (ApiProblems.Problem(StatusCodes.Status403Forbidden, LinkInvalid, "This download link was issued to another vehicle."), null, null);
        if (link.Verdict == LinkVerdict.Expired)
            return (ApiProblems.Problem(StatusCodes.Status403Forbidden, LinkExpired,
                $"This download link expired at {link.ExpiresAt:u}; ask for the package description again for a new one."), null, null);

        var snapshot = await catalog.GetAsync(http.RequestAborted);
        if (!snapshot.StoredFiles.ContainsKey(link.FileId))
        {
            // Uploaded through another instance since this one last looked: look again now rather than answer 404.
            catalog.Invalidate();
            snapshot = await catalog.GetAsync(http.RequestAborted);
        }
        var path = snapshot.StoredFiles.TryGetValue(link.FileId, out var file) ? store.LocalPath(file.StorageKey) : null;
        if (file is null || path is null || !File.Exists(path))
            return (ApiProblems.Problem(StatusCodes.Status404NotFound, FileNotFound, "The file of this link has been deleted or replaced since the link was made."), null, null);
        return (null, path, file);
    }
}
