using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Bench;

/// <summary>
/// What the benchmarks share: the rows of their own vehicles (a VIN prefix each), counted and removed again so runs do
/// not add up in the run database, and the fleet simulator started as a second process.
/// </summary>
internal static class BenchData
{
    /// <summary>Rows of <paramref name="table"/> whose VIN starts with <paramref name="vinPrefix"/> (and match <paramref name="where"/>).</summary>
    public static async Task<long> CountAsync(MySqlConnectionFactory connections, string table, string vinPrefix, CancellationToken ct, string? where = null)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table} WHERE vin LIKE '{vinPrefix}%'{(where is null ? "" : " AND " + where)}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Deletes the bench vehicles of <paramref name="vinPrefix"/> and everything they caused. With
    /// <paramref name="taskName"/>, also their notices and the bench's tasks of that name. Returns the rows removed.
    /// </summary>
    public static async Task<long> RemoveAsync(MySqlConnectionFactory connections, string vinPrefix, CancellationToken ct, string? taskName = null)
    {
        await using var connection = await connections.OpenAsync(ct);
        var like = $"LIKE '{vinPrefix}%'";
        var statements = new List<string>
        {
            $"DELETE FROM ota_follow_up WHERE vin {like}",
            $"DELETE FROM ota_notification WHERE vin {like}",
            $"DELETE FROM ota_work_order WHERE vin {like}",
            $"DELETE FROM ota_vehicle_download_progress WHERE vin {like}",
            $"DELETE FROM ota_vehicle_upgrade_progress WHERE vin {like}",
            $"DELETE FROM ota_vehicle_upgrade_status WHERE vin {like}",
            $"DELETE FROM ota_vehicle_upgrade_command WHERE vin {like}",
            $"DELETE FROM ota_vehicle_eeprom_clear WHERE vin {like}",
            $"DELETE FROM ota_vehicle_event_receipt WHERE vin {like}",
            $"DELETE FROM ota_vehicle_latest_status WHERE vin {like}",
        };
        if (taskName is not null)
        {
            statements.Add($"DELETE FROM ota_vehicle_download_notice WHERE vin {like}");
            statements.Add($"DELETE FROM ota_task WHERE name LIKE '{taskName}%' AND created_by = 'bench'");
        }
        statements.Add($"DELETE FROM ota_document WHERE collection = 'package_descriptions' AND JSON_VALUE(json, '$.vin') {like}");
        statements.Add($"DELETE FROM ota_vehicle WHERE vin {like}");
        long removed = 0;
        foreach (var sql in statements)
        {
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
            removed += await command.ExecuteNonQueryAsync(ct);
        }
        return removed;
    }

    /// <summary>The fleet simulator (`Ota.Simulator`, built by `./ota bench`) for <paramref name="vehiclesFile"/>, printing its summary as JSON at the end.</summary>
    public static (Process Simulator, Task<string> Output) StartSimulator(string simulatorDll, string vehiclesFile, string baseUrl, int mqttPort,
        CancellationToken ct, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { simulatorDll, "--vehicles-file", vehiclesFile, "--url", baseUrl, "--mqtt-port", mqttPort.ToString(CultureInfo.InvariantCulture),
                     "--failure-rate", "0.1", "--command-rate", "0.1", "--json" }.Concat(options))
            start.ArgumentList.Add(a);
        var simulator = Process.Start(start)!;
        return (simulator, simulator.StandardOutput.ReadToEndAsync(ct));
    }
}
