using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Files;

/// <summary>
/// Makes the link a vehicle is handed for a stored file (SPEC §13): the store's own presigned GET when it has one (S3),
/// else the app's <c>/files/v1/{token}</c> link for this vehicle; either expires after <see cref="FileStoreOptions.LinkLifetime"/>.
/// </summary>
public sealed class DownloadLinks(FileLinks links, IFileStore store, IOptions<FileStoreOptions> options, TimeProvider clock)
{
    /// <param name="requestBase">The address the vehicle reached the app at (scheme, host, path base), used unless
    /// <see cref="FileStoreOptions.PublicBaseUrl"/> is set.</param>
    public string For(long fileId, string storageKey, string fileName, string vin, string? requestBase)
    {
        var lifetime = options.Value.LinkLifetime;
        if (store.PresignedGet(storageKey, lifetime, fileName) is { } direct) return direct.AbsoluteUri;
        var baseUrl = options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured
            : requestBase ?? throw new InvalidOperationException("Files:PublicBaseUrl is not set and the request's address is unknown.");
        return baseUrl.TrimEnd('/') + FileLinks.PathOf(links.Token(fileId, vin, clock.GetUtcNow() + lifetime));
    }
}
