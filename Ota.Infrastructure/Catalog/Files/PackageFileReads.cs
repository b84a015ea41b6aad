using MySqlConnector;
using Ota.Domain.Catalog;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Catalog.Files;

/// <summary>Reads of ota_package_file.</summary>
internal static class PackageFileReads
{
    public const string Columns = "id, package_key, storage_key, uploaded_name, size, sha256, sha1, md5, uploaded_at, uploaded_by";

    public static async Task<PackageFile?> ByKeyAsync(MySqlConnection connection, MySqlTransaction? tx, string packageKey, CancellationToken ct) =>
        (await ReadAsync(connection, tx, $"SELECT {Columns} FROM ota_package_file WHERE package_key = @key", ct, ("@key", packageKey))).SingleOrDefault();

    public static async Task<List<PackageFile>> ReadAsync(MySqlConnection connection, MySqlTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Sql.Command(connection, tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var files = new List<PackageFile>();
        while (await reader.ReadAsync(ct))
            files.Add(new PackageFile
            {
                Id = reader.GetInt64(0), PackageKey = reader.GetString(1), StorageKey = reader.GetString(2), UploadedName = reader.GetString(3),
                Size = reader.GetInt64(4), Sha256 = reader.GetString(5), Sha1 = reader.GetString(6), Md5 = reader.GetString(7),
                UploadedAt = DateTime.SpecifyKind(reader.GetDateTime(8), DateTimeKind.Utc), UploadedBy = reader.GetString(9),
            });
        return files;
    }
}
