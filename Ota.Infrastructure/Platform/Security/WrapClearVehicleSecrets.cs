using Microsoft.Extensions.Logging;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// Wraps the vehicle secrets stored in clear before secrets were wrapped (SPEC §15), a batch of vehicles at a time in VIN
/// order: read the clear ones, wrap them here (the master key never reaches the database), load them back in bulk and
/// write each only where the row still holds the clear secret read, so a secret changed meanwhile (by an import, a
/// rotation, or another instance doing the same) is left as it is. Running it again finds nothing to do.
/// </summary>
public sealed partial class WrapClearVehicleSecrets(
    MySqlConnectionFactory connections, VehicleSecretWrapping wrapping, ILogger<WrapClearVehicleSecrets> logger) : IDataMigration
{
    public const int BatchSize = 5000;

    private static readonly BulkColumn<(string Vin, string Clear, string Wrapped)>[] Columns =
    [
        new("vin", typeof(string), r => r.Vin),
        new("clear_secret", typeof(string), r => r.Clear),
        new("wrapped_secret", typeof(string), r => r.Wrapped),
    ];

    public string Id => "20261208_WrapClearVehicleSecrets";

    public async Task ApplyAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await Sql.ExecAsync(connection, null, "DROP TEMPORARY TABLE IF EXISTS tmp_wrapped_secret", ct);
        await Sql.ExecAsync(connection, null, $"""
            CREATE TEMPORARY TABLE tmp_wrapped_secret (vin {VinColumn.SqlType} NOT NULL PRIMARY KEY,
              clear_secret VARCHAR({VehicleSecretWrapping.MaxSecretLength}) NOT NULL,
              wrapped_secret VARCHAR({VehicleSecretWrapping.MaxStoredLength}) NOT NULL)
              ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
            """, ct);
        var after = "";
        var wrapped = 0;
        while (true)
        {
            var batch = await ReadClearAsync(connection, after, ct);
            if (batch.Count == 0) break;
            after = batch[^1].Vin;
            var wrappedSecrets = wrapping.WrapAll(batch.Select(r => r.Clear).ToList());
            var rows = batch.Select((r, i) => (r.Vin, r.Clear, wrappedSecrets[i])).ToList();
            wrapped += await Sql.InTransactionAsync(connection, async tx =>
            {
                await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_wrapped_secret", ct);
                await BulkLoader.LoadAsync(connection, tx, "tmp_wrapped_secret", rows, Columns, ct);
                return await Sql.ExecAsync(connection, tx, """
                    UPDATE ota_vehicle v JOIN tmp_wrapped_secret t ON t.vin = v.vin
                    SET v.secret = t.wrapped_secret
                    WHERE BINARY v.secret = BINARY t.clear_secret
                    """, ct);
            }, ct);
        }
        await Sql.ExecAsync(connection, null, "DROP TEMPORARY TABLE tmp_wrapped_secret", ct);
        if (wrapped > 0) LogWrapped(wrapped);
    }

    private static async Task<List<(string Vin, string Clear)>> ReadClearAsync(MySqlConnection connection, string after, CancellationToken ct)
    {
        var batch = new List<(string, string)>(BatchSize);
        await using var command = Sql.Command(connection, null, $"""
            SELECT vin, secret FROM ota_vehicle
            WHERE vin > @after AND secret <> '' AND BINARY secret NOT LIKE '{VehicleSecretWrapping.WrappedPrefix}%'
            ORDER BY vin LIMIT {BatchSize}
            """, ("@after", after));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) batch.Add((reader.GetString(0), reader.GetString(1)));
        return batch;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Wrapped {Count} vehicle secrets that were stored in clear; database dumps and backups made before now still hold them in clear")]
    private partial void LogWrapped(int count);
}
