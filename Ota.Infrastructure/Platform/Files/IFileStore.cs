namespace Ota.Infrastructure.Platform.Files;

/// <summary>
/// Where package files live (SPEC §13): a local folder (<see cref="FileSystemFileStore"/>, the default) or any
/// S3-compatible object store. Objects are written once under a fresh key and never changed; a replaced file is a new
/// object and the old one is deleted. Every provider passes the same contract tests.
/// </summary>
public interface IFileStore
{
    /// <summary>The provider's name for messages and the health page (<c>FileSystem</c>, <c>S3</c>).</summary>
    string Provider { get; }

    /// <summary>
    /// Stores the finished local file <paramref name="sourcePath"/> (already measured and hashed) as <paramref name="key"/>.
    /// The source may be moved rather than copied; the caller deletes it afterwards if it is still there.
    /// </summary>
    Task PutAsync(string key, string sourcePath, CancellationToken ct);

    /// <summary>The stored object's size in bytes, or null when there is no such object.</summary>
    Task<long?> SizeAsync(string key, CancellationToken ct);

    /// <summary>Reads the object from <paramref name="offset"/>; throws <see cref="FileNotFoundException"/> when there is none.</summary>
    Task<Stream> OpenReadAsync(string key, long offset, CancellationToken ct);

    /// <summary>
    /// Deletes the object; nothing happens when there is none. A store that refuses the delete throws
    /// <see cref="IOException"/> (a folder also <see cref="UnauthorizedAccessException"/>), not an exception type of its own.
    /// </summary>
    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// A link the store serves itself (an S3 presigned GET) valid for <paramref name="lifetime"/>, or null when the app
    /// serves this store's files through its own links (<c>/files/v1/{token}</c>).
    /// </summary>
    Uri? PresignedGet(string key, TimeSpan lifetime, string downloadName);

    /// <summary>The local file behind <paramref name="key"/> when the store is a local folder (served with sendfile), else null.</summary>
    string? LocalPath(string key);
}
