using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.Fleet;

/// <summary>Upserts vehicles by VIN in bulk: stage with MySqlBulkCopy, then one INSERT … SELECT … ON DUPLICATE KEY UPDATE, in one transaction.</summary>
public sealed class VehicleWriter(MySqlConnectionFactory connections, TimeProvider clock)
{
    private static readonly BulkColumn<VehicleRow>[] Columns =
    [
        new("vin", typeof(string), r => r.Vin),
        new("series_model_id", typeof(long), r => r.SeriesModelId),
        new("platform", typeof(string), r => r.Platform),
        new("lifecycle_status", typeof(string), r => r.LifecycleStatus.ToString()),
        new("vehicle_usage", typeof(string), r => r.Usage.ToString()),
        new("sold", typeof(bool), r => r.Sold),
        new("activated", typeof(bool), r => r.Activated),
        new("passenger_car", typeof(bool), r => r.PassengerCar),
        new("firmware_version", typeof(string), r => r.FirmwareVersion),
        new("config_word", typeof(string), r => r.ConfigWord),
        new("secret", typeof(string), r => r.Secret),
        new("update_client", typeof(string), r => r.UpdateClient?.ToString()),
    ];

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
              config_word VARCHAR(255) NULL, secret VARCHAR(128) NULL,
              update_client VARCHAR(8) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await BulkLoader.LoadAsync(connection, null, "tmp_vehicle_import", rows, Columns, cancellationToken);

        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        int existing;
        await using (var count = new MySqlCommand("SELECT COUNT(*) FROM tmp_vehicle_import t JOIN ota_vehicle v ON v.vin = t.vin", connection, tx))
        {
            existing = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken));
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
                   COALESCE(t.secret, LEFT(SHA2(CONCAT(UUID(), RAND(), t.vin), 256), 32)), COALESCE(t.update_client, @native), @now
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
                  AND ota_vehicle.config_word <=> t.config_word AND (t.secret IS NULL OR ota_vehicle.secret <=> t.secret)
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
        return new Result(staged - existing, existing);
    }
}
