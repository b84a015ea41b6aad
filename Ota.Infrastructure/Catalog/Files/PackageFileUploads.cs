using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Domain.Catalog;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Files;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Catalog.Files;

/// <summary>What an upload kept.</summary>
public sealed record PackageFileUploaded(PackageFile File, bool Replaced);

/// <summary>
/// Uploads of ECU package files (SPEC §13), the one path the console, the command line and the open API share. The body
/// is streamed to a local incoming file while its size and digests are computed; it is refused whole when it disagrees
/// with the catalog, is over <see cref="FileStoreOptions.MaxBytes"/>, or arrives cut short. Only then is it put in the
/// store under a fresh key and recorded, in one transaction that also brings the catalog's size and SHA-256 in line.
/// A replaced file's object is deleted after the commit; a file that a live task uses is not replaced.
/// </summary>
public sealed partial class PackageFileUploads(
    MySqlConnectionFactory connections, IFileStore store, AuditTrail audit, CatalogCache catalog,
    IOptions<FileStoreOptions> files, IOptions<OtaOptions> ota, TimeProvider clock, ILogger<PackageFileUploads> logger)
{
    /// <summary>Refuses at once what can be refused before a byte is read: an unknown package, a declared size over the limit, a file in use.</summary>
    public async Task<EcuPackageRef> PrepareAsync(string packageKey, long? declaredLength, CancellationToken ct)
    {
        var limit = files.Value.MaxBytes;
        if (declaredLength > limit)
            throw new PackageFileException(PackageFileException.TooLarge, 413, $"The file is {declaredLength:N0} bytes; the limit is {limit:N0}.");
        await using var connection = await connections.OpenAsync(ct);
        var package = await PackageFileUse.FindAsync(connection, null, packageKey, false, ct)
            ?? throw new PackageFileException(PackageFileException.PackageNotFound, 404, $"There is no ECU package with key '{packageKey}'.");
        await RefuseWhenInUseAsync(connection, null, package, ct);
        return package;
    }

    /// <summary>Streams <paramref name="content"/> in as the file of ECU package <paramref name="packageKey"/>.</summary>
    /// <param name="declaredLength">The length the sender announced (Content-Length), when it did: a body that ends sooner is incomplete.</param>
    public async Task<PackageFileUploaded> UploadAsync(string packageKey, Stream content, long? declaredLength, string uploadedName,
        string user, CancellationToken ct)
    {
        await PrepareAsync(packageKey, declaredLength, ct);
        var incoming = FileFolders.Incoming(files.Value, ota.Value);
        Directory.CreateDirectory(incoming);
        var temp = Path.Combine(incoming, $"{Guid.CreateVersion7():N}.part");
        string? storedKey = null;
        try
        {
            FileDigests digests;
            try
            {
                digests = await HashingCopy.ToFileAsync(content, temp, files.Value.MaxBytes, ct);
            }
            catch (FileTooLargeException e)
            {
                throw new PackageFileException(PackageFileException.TooLarge, 413, e.Message);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                throw new PackageFileException(PackageFileException.Incomplete, 400, "The upload was cut off before the whole file arrived; nothing was kept.");
            }
            if (declaredLength is { } announced && digests.Size != announced)
                throw new PackageFileException(PackageFileException.Incomplete, 400,
                    $"{digests.Size:N0} bytes arrived of the {announced:N0} announced; nothing was kept.");

            storedKey = FileKeys.NewFor(packageKey);
            await store.PutAsync(storedKey, temp, ct);
            var (file, replaced) = await RecordAsync(packageKey, storedKey, uploadedName, digests, user, ct);
            storedKey = null;
            if (replaced is not null) await DeleteObjectAsync(replaced.StorageKey);
            catalog.Invalidate();
            LogUploaded(packageKey, digests.Size, digests.Sha256, user);
            return new PackageFileUploaded(file, replaced is not null);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            // Put but not recorded (refused at the commit, or failed): the object must not linger.
            if (storedKey is not null) await DeleteObjectAsync(storedKey);
        }
    }

    private async Task<(PackageFile File, PackageFile? Replaced)> RecordAsync(string packageKey, string storageKey, string uploadedName,
        FileDigests digests, string user, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var result = await Sql.InTransactionAsync(connection, async tx =>
        {
            // The package row's lock serialises uploads of one key and the catalog's expectations read with it.
            var package = await PackageFileUse.FindAsync(connection, tx, packageKey, true, ct)
                ?? throw new PackageFileException(PackageFileException.PackageNotFound, 404, $"There is no ECU package with key '{packageKey}'.");
            var existing = await PackageFileReads.ByKeyAsync(connection, tx, packageKey, ct);
            CheckAgainstCatalog(package, existing, digests);
            await RefuseWhenInUseAsync(connection, tx, package, ct);

            var now = clock.GetUtcNow().UtcDateTime;
            if (existing is not null)
                await Sql.ExecAsync(connection, tx, "DELETE FROM ota_package_file WHERE id = @id", ct, ("@id", existing.Id));
            var file = new PackageFile
            {
                PackageKey = packageKey, StorageKey = storageKey, UploadedName = Trim(uploadedName, 255), Size = digests.Size,
                Sha256 = digests.Sha256, Sha1 = digests.Sha1, Md5 = digests.Md5, UploadedAt = now, UploadedBy = Trim(user, 256),
            };
            file.Id = Convert.ToInt64(await Sql.ScalarAsync(connection, tx,
                """
                INSERT INTO ota_package_file (package_key, storage_key, uploaded_name, size, sha256, sha1, md5, uploaded_at, uploaded_by)
                VALUES (@key, @storage, @name, @size, @sha256, @sha1, @md5, @at, @by) RETURNING id
                """, ct, ("@key", packageKey), ("@storage", storageKey), ("@name", file.UploadedName), ("@size", file.Size),
                ("@sha256", file.Sha256), ("@sha1", file.Sha1), ("@md5", file.Md5), ("@at", now), ("@by", file.UploadedBy)));
            // The catalog's size and SHA-256 describe the file vehicles are served.
            var table = package.FullId is not null ? "ota_package_ecu_full" : "ota_package_ecu_delta";
            await Sql.ExecAsync(connection, tx, $"UPDATE {table} SET file_size = @size, sha256 = @sha256 WHERE id = @id", ct,
                ("@size", file.Size), ("@sha256", file.Sha256), ("@id", package.FullId ?? package.DeltaId));
            return (file, existing);
        }, ct);
        await audit.RecordAsync(result.existing is null ? "UploadFile" : "ReplaceFile", "EcuPackage", packageKey,
            result.existing is null ? null : Describe(result.existing), Describe(result.file), user, CancellationToken.None);
        return result;
    }

    /// <summary>
    /// The catalog's size and SHA-256 must hold, except when they are those of the stored file this upload replaces
    /// (an upload set them): then the new file brings its own.
    /// </summary>
    private static void CheckAgainstCatalog(EcuPackageRef package, PackageFile? existing, FileDigests digests)
    {
        var setByUpload = existing is not null && string.Equals(existing.Sha256, package.Sha256, StringComparison.OrdinalIgnoreCase)
                          && existing.Size == package.FileSize;
        if (setByUpload) return;
        if (!string.IsNullOrWhiteSpace(package.Sha256) && !string.Equals(package.Sha256.Trim(), digests.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new PackageFileException(PackageFileException.HashMismatch, 422,
                $"The file's SHA-256 is {digests.Sha256}; the catalog expects {package.Sha256} for {package.Key}. Nothing was kept.");
        if (package.FileSize > 0 && package.FileSize != digests.Size)
            throw new PackageFileException(PackageFileException.SizeMismatch, 422,
                $"The file is {digests.Size:N0} bytes; the catalog expects {package.FileSize:N0} for {package.Key}. Nothing was kept.");
    }

    /// <summary>Removes the stored file of <paramref name="packageKey"/> (not while a live task uses it); vehicles are then served the catalog's URL.</summary>
    public async Task DeleteAsync(string packageKey, string user, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var removed = await Sql.InTransactionAsync(connection, async tx =>
        {
            var package = await PackageFileUse.FindAsync(connection, tx, packageKey, true, ct)
                ?? throw new PackageFileException(PackageFileException.PackageNotFound, 404, $"There is no ECU package with key '{packageKey}'.");
            var existing = await PackageFileReads.ByKeyAsync(connection, tx, packageKey, ct)
                ?? throw new PackageFileException(PackageFileException.FileNotFound, 404, $"{packageKey} has no stored file.");
            await RefuseWhenInUseAsync(connection, tx, package, ct);
            await Sql.ExecAsync(connection, tx, "DELETE FROM ota_package_file WHERE id = @id", ct, ("@id", existing.Id));
            return existing;
        }, ct);
        await audit.RecordAsync("DeleteFile", "EcuPackage", packageKey, Describe(removed), null, user, CancellationToken.None);
        await DeleteObjectAsync(removed.StorageKey);
        catalog.Invalidate();
    }

    /// <summary>The stored files by ECU package key.</summary>
    public async Task<IReadOnlyDictionary<string, PackageFile>> AllAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var all = await PackageFileReads.ReadAsync(connection, null,
            "SELECT id, package_key, storage_key, uploaded_name, size, sha256, sha1, md5, uploaded_at, uploaded_by FROM ota_package_file", ct);
        return all.ToDictionary(f => f.PackageKey, StringComparer.Ordinal);
    }

    private static async Task RefuseWhenInUseAsync(MySqlConnector.MySqlConnection connection, MySqlConnector.MySqlTransaction? tx,
        EcuPackageRef package, CancellationToken ct)
    {
        if (await PackageFileReads.ByKeyAsync(connection, tx, package.Key, ct) is null) return;
        var tasks = await PackageFileUse.LiveTasksAsync(connection, tx, package, ct);
        if (tasks.Count > 0)
            throw new PackageFileException(PackageFileException.InUse, 409,
                $"The file of {package.Key} is used by live task{(tasks.Count > 1 ? "s" : "")} {string.Join(", ", tasks)}: " +
                "it cannot be replaced while vehicles may be downloading it. Give the new build a new ECU package.");
    }

    private async Task DeleteObjectAsync(string key)
    {
        try
        {
            await store.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or InvalidOperationException)
        {
            LogOrphan(key, e);
        }
    }

    private static object Describe(PackageFile f) => new { f.Size, f.Sha256, f.Sha1, f.Md5, f.UploadedName, f.StorageKey };

    private static string Trim(string text, int max) => text.Length > max ? text[..max] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Package file of {PackageKey} stored: {Size} bytes, SHA-256 {Sha256}, by {User}")]
    private partial void LogUploaded(string packageKey, long size, string sha256, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored object {Key} could not be deleted and is left in the store")]
    private partial void LogOrphan(string key, Exception exception);
}
