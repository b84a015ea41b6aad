using MySqlConnector;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Catalog.Files;

/// <summary>
/// Which ECU package a key names, and which live tasks (published, paused or executed) use it: a task uses every ECU
/// package of the vehicle packages of its series-model and target version (OTA1 full and delta, OTA2), as the package
/// description may serve any of them.
/// </summary>
internal static class PackageFileUse
{
    public static async Task<EcuPackageRef?> FindAsync(MySqlConnection connection, MySqlTransaction? tx, string key, bool forUpdate,
        CancellationToken ct)
    {
        var lockClause = forUpdate ? " FOR UPDATE" : "";
        foreach (var (table, full) in new[] { ("ota_package_ecu_full", true), ("ota_package_ecu_delta", false) })
        {
            await using var command = Sql.Command(connection, tx,
                $"SELECT id, file_name, file_size, sha256, `key` FROM {table} WHERE `key` = @key{lockClause}", ("@key", key));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) continue;
            var id = reader.GetInt64(0);
            // The catalog's own spelling: the column compares without case.
            return new EcuPackageRef(reader.GetString(4), full ? id : null, full ? null : id, reader.GetString(1), reader.GetInt64(2), reader.GetString(3));
        }
        return null;
    }

    /// <summary>Up to five live tasks that use the package, by id.</summary>
    public static async Task<IReadOnlyList<long>> LiveTasksAsync(MySqlConnection connection, MySqlTransaction? tx, EcuPackageRef package,
        CancellationToken ct) =>
        await Sql.IdsAsync(connection, tx,
            $"""
            SELECT t.id FROM ota_task t
            WHERE t.status IN {Sql.List(TaskLifecycle.Live)} AND (
              EXISTS (SELECT 1 FROM ota_package_total_full p JOIN ota_package_total_full_ecu e ON e.package_id = p.id
                      WHERE p.series_model_id = t.series_model_id AND p.version = t.target_version AND e.ecu_full_package_id = @full)
              OR EXISTS (SELECT 1 FROM ota_package_total_delta p JOIN ota_package_total_delta_ecu e ON e.package_id = p.id
                      WHERE p.series_model_id = t.series_model_id AND p.version = t.target_version
                        AND (e.ecu_full_package_id = @full OR e.ecu_delta_package_id = @delta))
              OR EXISTS (SELECT 1 FROM ota_package p JOIN ota_package_ecu e ON e.package_id = p.id
                      WHERE p.series_model_id = t.series_model_id AND p.version = t.target_version
                        AND (e.ecu_full_package_id = @full OR e.ecu_delta_package_id = @delta)))
            ORDER BY t.id LIMIT 5
            """, ct, ("@full", package.FullId ?? -1), ("@delta", package.DeltaId ?? -1));
}
