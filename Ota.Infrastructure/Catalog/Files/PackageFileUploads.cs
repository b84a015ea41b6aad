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
/// store under a fresh key and recorded, in one transaction under the package row's lock.
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
        // The catalog's spelling of the key from here on (keys compare without case in the database).
        packageKey = (await PrepareAsync(packageKey, declaredLength, ct)).Key;
        var incoming = FileFolders.Incoming(files.Value, ota.Value);
        Directory.CreateDirectory(incoming);
        RemoveStaleIncoming(incoming);
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
            catch (UploadSourceException)
            {
                throw new PackageFileException(PackageFileException.Incomplete, 400, "The upload was cut off before the whole file arrived; nothing was kept.");
            }
            if (declaredLength is { } announced && digests.Size != announced)
                throw new PackageFileException(PackageFileException.Incomplete, 400,
                    $"{digests.Size:N0} bytes arrived of the {announced:N0} announced; nothing was kept.");

            // Refused before it reaches the store (checked again under the package's lock when it is recorded).
            await using (var connection = await connections.OpenAsync(ct))
            {
                var package = await PackageFileUse.FindAsync(connection, null, packageKey, false, ct)
                    ?? throw new PackageFileException(PackageFileException.PackageNotFound, 404, $"There is no ECU package with key '{packageKey}'.");
                CheckAgainstCatalog(package, digests);
            }

            // The whole file is here and checked: what follows is not abandoned half-way because the sender went away.
            storedKey = FileKeys.NewFor(packageKey);
            await store.PutAsync(storedKey, temp, CancellationToken.None);
            var (file, replaced) = await RecordAsync(packageKey, storedKey, uploadedName, digests, user, () => storedKey = null);
            if (replaced is not null) await DeleteObjectAsync(replaced.StorageKey);
            catalog.Invalidate();
            LogUploaded(packageKey, digests.Size, digests.Sha256, user);
            await AuditAsync(replaced is null ? "UploadFile" : "ReplaceFile", packageKey, replaced, file, user);
            return new PackageFileUploaded(file, replaced is not null);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
            // Put but not recorded (refused at the commit, or failed): the object must not linger.
            if (storedKey is not null) await DeleteObjectAsync(storedKey);
        }
    }

    /// <summary>Incoming files a crashed or killed upload left behind (none is still arriving after a day).</summary>
    private void RemoveStaleIncoming(string incoming)
    {
        foreach (var stale in new DirectoryInfo(incoming).EnumerateFiles("*.part").Where(f => f.LastWriteTimeUtc < clock.GetUtcNow().UtcDateTime.AddDays(-1)))
        {
            try
            {
                stale.Delete();
            }
            catch (IOException e)
            {
                LogOrphan(stale.FullName, e);
            }
        }
    }

    private async Task AuditAsync(string action, string packageKey, PackageFile? before, PackageFile after, string user)
    {
        // Recorded after the commit; a failure here must not undo an upload that is stored and served.
        try
        {
            await audit.RecordAsync(action, "EcuPackage", packageKey, before is null ? null : Describe(before), Describe(after), user, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogAuditFailed(packageKey, e);
        }
    }

    private async Task<(PackageFile File, PackageFile? Replaced)> RecordAsync(string packageKey, string storageKey, string uploadedName,
        FileDigests digests, string user, Action committed)
    {
        var ct = CancellationToken.None;
        await using var connection = await connections.OpenAsync(ct);
        var result = await Sql.InTransactionAsync(connection, async tx =>
        {
            // The package row's lock serialises uploads of one key and the catalog's expectations read with it.
            var package = await PackageFileUse.FindAsync(connection, tx, packageKey, true, ct)
                ?? throw new PackageFileException(PackageFileException.PackageNotFound, 404, $"There is no ECU package with key '{packageKey}'.");
            var existing = await PackageFileReads.ByKeyAsync(connection, tx, packageKey, ct);
            CheckAgainstCatalog(package, digests);
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
            return (file, existing);
        }, ct);
        committed();
        return result;
    }

    /// <summary>
    /// The catalog is what a package is: a file whose SHA-256 or size differs from it is another build, refused. A new
    /// build of a package comes with its new size and SHA-256 in the catalog first (or as a new ECU package).
    /// </summary>
    private static void CheckAgainstCatalog(EcuPackageRef package, FileDigests digests)
    {
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
            var existing = await PackageFileReads.ByKeyAsync(connection, tx, package.Key, ct)
                ?? throw new PackageFileException(PackageFileException.FileNotFound, 404, $"{package.Key} has no stored file.");
            await RefuseWhenInUseAsync(connection, tx, package, ct);
            await Sql.ExecAsync(connection, tx, "DELETE FROM ota_package_file WHERE id = @id", ct, ("@id", existing.Id));
            return existing;
        }, ct);
        await DeleteObjectAsync(removed.StorageKey);
        catalog.Invalidate();
        try
        {
            await audit.RecordAsync("DeleteFile", "EcuPackage", removed.PackageKey, Describe(removed), null, user, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogAuditFailed(removed.PackageKey, e);
        }
    }

    /// <summary>The stored files by ECU package key.</summary>
    public async Task<IReadOnlyDictionary<string, PackageFile>> AllAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var all = await PackageFileReads.ReadAsync(connection, null, $"SELECT {PackageFileReads.Columns} FROM ota_package_file", ct);
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
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An object left in the store costs space, not correctness: no row points at it.
            LogOrphan(key, e);
        }
    }

    private static object Describe(PackageFile f) => new { f.Size, f.Sha256, f.Sha1, f.Md5, f.UploadedName, f.StorageKey };

    private static string Trim(string text, int max) => text.Length > max ? text[..max] : text;

    [LoggerMessage(Level = LogLevel.Information, Message = "Package file of {PackageKey} stored: {Size} bytes, SHA-256 {Sha256}, by {User}")]
    private partial void LogUploaded(string packageKey, long size, string sha256, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "The upload of {PackageKey} is stored but its audit entry could not be written")]
    private partial void LogAuditFailed(string packageKey, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stored object {Key} could not be deleted and is left in the store")]
    private partial void LogOrphan(string key, Exception exception);
}
