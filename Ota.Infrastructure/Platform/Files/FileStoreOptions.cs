using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.Platform.Files;

public enum FileStoreProvider { FileSystem, S3 }

/// <summary>Section <c>Files</c>: where package files are kept, how big they may be, how long a download link lasts.</summary>
public sealed class FileStoreOptions
{
    public const string Section = "Files";

    public FileStoreProvider Provider { get; set; } = FileStoreProvider.FileSystem;

    /// <summary>The FileSystem store's folder; default <c>files</c> under <c>Ota:DataFolder</c>.</summary>
    public string? Root { get; set; }

    /// <summary>
    /// Where an upload is written while it arrives and is hashed, before it is kept or refused; default
    /// <c>files-incoming</c> under <c>Ota:DataFolder</c> (on the same disk as the FileSystem store, so keeping is a rename).
    /// </summary>
    public string? Incoming { get; set; }

    /// <summary>The largest file accepted (SPEC §13: 4 GiB by default).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 4L << 30;

    /// <summary>How long a download link handed to a vehicle stays valid (SPEC §13: 30 minutes).</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The address vehicles reach the app at, for the links it serves itself (<c>/files/v1/…</c>). Default: the address
    /// of the request that asked for the package description.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public S3StoreOptions S3 { get; set; } = new();
}

/// <summary>Section <c>Files:S3</c>, for <see cref="FileStoreProvider.S3"/>; the keys come from the environment.</summary>
public sealed class S3StoreOptions
{
    /// <summary>The service URL for a store other than AWS (MinIO, Ceph RGW, s3rver), for example <c>http://127.0.0.1:4568</c>.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "ota-packages";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Bucket in the path rather than the host name: what MinIO and s3rver expect.</summary>
    public bool ForcePathStyle { get; set; } = true;

    public override string ToString() =>
        $"{nameof(S3StoreOptions)} {{ ServiceUrl = {ServiceUrl}, Region = {Region}, Bucket = {Bucket}, Keys = {(string.IsNullOrEmpty(SecretKey) ? "<none>" : "<set>")} }}";
}
