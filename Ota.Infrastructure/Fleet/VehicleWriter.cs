using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Persistence.Configurations;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Fleet;

/// <summary>
/// Upserts vehicles by VIN in bulk: stage with MySqlBulkCopy, then one INSERT … SELECT … ON DUPLICATE KEY UPDATE, in one
/// transaction. Secrets are wrapped here, as the rows stream to the database (SPEC §15: never stored in clear); a new
/// vehicle that comes without one gets a random one (which <c>./ota vehicle rotate-secret</c> replaces by one it shows).
/// </summary>
public sealed class VehicleWriter(
    MySqlConnectionFactory connections, VehicleSecretWrapping secrets, VehicleSecretRotations rotations, TimeProvider clock)
{
    // Secrets are wrapped a chunk of rows at a time (VehicleSecretWrapping.WrapAll shares the AES work among them).
    private const int WrapChunk = 4096;

    private static readonly BulkColumn<StagedVehicle>[] Columns =
    [
        new("vin", typeof(string), s => s.Row.Vin),
        new("series_model_id", typeof(long), s => s.Row.SeriesModelId),
        new("platform", typeof(string), s => s.Row.Platform),
        new("lifecycle_status", typeof(string), s => s.Row.LifecycleStatus.ToString()),
        new("vehicle_usage", typeof(string), s => s.Row.Usage.ToString()),
        new("sold", typeof(bool), s => s.Row.Sold),
        new("activated", typeof(bool), s => s.Row.Activated),
        new("passenger_car", typeof(bool), s => s.Row.PassengerCar),
        new("firmware_version", typeof(string), s => s.Row.FirmwareVersion),
        new("config_word", typeof(string), s => s.Row.ConfigWord),
        new("secret", typeof(string), s => s.Row.Secret is null ? null : s.WrappedSecret),
        // Only for a vehicle that is new: an existing one keeps its secret when the row brings none.
        new("generated_secret", typeof(string), s => s.Row.Secret is null ? s.WrappedSecret : null),
        new("update_client", typeof(string), s => s.Row.UpdateClient?.ToString()),
    ];

    /// <summary>A row and its secret wrapped: the one it brings, or a random one for a row without.</summary>
    private sealed record StagedVehicle(VehicleRow Row, string WrappedSecret);

    public sealed record Result(int Inserted, int Updated);

    public async Task<Result> UpsertAsync(IEnumerable<VehicleRow> rows, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using (var create = new MySqlCommand(
            $"""
            CREATE TEMPORARY TABLE tmp_vehicle_import (
              vin {VinColumn.SqlType} NOT NULL PRIMARY KEY, series_model_id BIGINT NOT NULL, platform VARCHAR(64) NOT NULL,
              lifecycle_status VARCHAR(32) NOT NULL, vehicle_usage VARCHAR(32) NOT NULL, sold TINYINT(1) NOT NULL,
              activated TINYINT(1) NOT NULL, passenger_car TINYINT(1) NOT NULL, firmware_version VARCHAR(64) NOT NULL,
              config_word VARCHAR(255) NULL, secret VARCHAR({VehicleSecretWrapping.MaxStoredLength}) NULL,
              generated_secret VARCHAR({VehicleSecretWrapping.MaxStoredLength}) NULL,
              update_client VARCHAR(8) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await BulkLoader.LoadAsync(connection, null, "tmp_vehicle_import", Staged(rows), Columns, cancellationToken);

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        int existing;
        bool secretsChanged;
        await using (var count = new MySqlCommand(
            """
            SELECT COUNT(*), COALESCE(SUM(t.secret IS NOT NULL AND NOT (BINARY v.secret <=> BINARY t.secret)), 0)
            FROM tmp_vehicle_import t JOIN ota_vehicle v ON v.vin = t.vin
            """, connection, tx))
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            existing = Convert.ToInt32(reader.GetValue(0));
            secretsChanged = Convert.ToInt64(reader.GetValue(1)) > 0;
        }
        int staged;
        await using (var count = new MySqlCommand("SELECT COUNT(*) FROM tmp_vehicle_import", connection, tx))
        {
            staged = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken));
        }
        await using (var upsert = new MySqlCommand(
            """
            INSERT INTO ota_vehicle (vin, series_model_id, platform, lifecycle_status, `usage`, sold, activated, passenger_car,
                                     firmware_version, config_word, secret, update_client, updated_at)
            SELECT t.vin, t.series_model_id, t.platform, t.lifecycle_status, t.vehicle_usage, t.sold, t.activated, t.passenger_car,
                   t.firmware_version, t.config_word,
                   COALESCE(t.secret, t.generated_secret), COALESCE(t.update_client, @native), @now
            FROM tmp_vehicle_import t
            ON DUPLICATE KEY UPDATE
              series_model_id = t.series_model_id, platform = t.platform, lifecycle_status = t.lifecycle_status,
              `usage` = t.vehicle_usage, sold = t.sold, activated = t.activated, passenger_car = t.passenger_car,
              firmware_version = t.firmware_version, config_word = t.config_word,
              secret = COALESCE(t.secret, ota_vehicle.secret),
              update_client = COALESCE(t.update_client, ota_vehicle.update_client),
              updated_at = IF(ota_vehicle.series_model_id <=> t.series_model_id AND ota_vehicle.platform <=> t.platform
                  AND ota_vehicle.lifecycle_status <=> t.lifecycle_status AND ota_vehicle.`usage` <=> t.vehicle_usage
                  AND ota_vehicle.sold <=> t.sold AND ota_vehicle.activated <=> t.activated
                  AND ota_vehicle.passenger_car <=> t.passenger_car AND ota_vehicle.firmware_version <=> t.firmware_version
                  AND ota_vehicle.config_word <=> t.config_word AND (t.secret IS NULL OR BINARY ota_vehicle.secret <=> BINARY t.secret)
                  AND (t.update_client IS NULL OR ota_vehicle.update_client <=> t.update_client),
                  ota_vehicle.updated_at, @now)
            """, connection, tx))
        {
            upsert.CommandTimeout = 0;
            upsert.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
            upsert.Parameters.AddWithValue("@native", nameof(Ota.Domain.UpdateClient.Native));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        // A secret replaced is a rotation: every instance forgets the old one at once.
        if (secretsChanged) await rotations.BumpAsync();
        return new Result(staged - existing, existing);
    }

    private IEnumerable<StagedVehicle> Staged(IEnumerable<VehicleRow> rows)
    {
        foreach (var chunk in rows.Chunk(WrapChunk))
        {
            var wrapped = secrets.WrapAll(Array.ConvertAll(chunk, r => r.Secret ?? VehicleSecretWrapping.Generate()));
            for (var i = 0; i < chunk.Length; i++) yield return new StagedVehicle(chunk[i], wrapped[i]);
        }
    }
}
