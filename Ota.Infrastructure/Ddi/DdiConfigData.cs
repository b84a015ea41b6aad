using System.Text.Json;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Ddi;

/// <summary>hawkBit's configData <c>mode</c>: how the sent attributes meet the kept ones.</summary>
public enum DdiConfigMode { Merge, Replace, Remove }

/// <summary>
/// A DDI device's attributes (<c>PUT …/configData</c>, SPEC §14), kept on its DDI row as a JSON object of strings and shown
/// on the vehicle's page. The first PUT ends the poll's <c>configData</c> link (hawkBit asks once; SWUpdate would otherwise
/// send its attributes on every poll instead of installing).
/// </summary>
public sealed class DdiConfigData(MySqlConnectionFactory connections, DdiDevices devices, TimeProvider clock)
{
    public const int MaxAttributes = 100;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 128;

    /// <summary>What the column (TEXT) holds, with room to spare.</summary>
    private const int MaxStoredBytes = 60_000;

    private static readonly JsonSerializerOptions Stored = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task SaveAsync(string vin, DdiConfigMode mode, IReadOnlyDictionary<string, string> data, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await Sql.InTransactionAsync(connection, async tx =>
        {
            var kept = await Sql.ScalarAsync(connection, tx, "SELECT config_data FROM ota_ddi_target WHERE vin = @vin FOR UPDATE", ct, ("@vin", vin)) as string;
            var attributes = kept is null
                ? new SortedDictionary<string, string>(StringComparer.Ordinal)
                : new SortedDictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(kept) ?? [], StringComparer.Ordinal);
            if (mode == DdiConfigMode.Replace) attributes.Clear();
            foreach (var (key, value) in data)
            {
                if (mode == DdiConfigMode.Remove) attributes.Remove(key);
                else attributes[key] = value;
            }
            // Merged attributes may exceed the limit a single body is held to: the oldest keys in order are not dropped, the PUT is.
            if (attributes.Count > MaxAttributes)
                throw new ArgumentException($"A device keeps at most {MaxAttributes} attributes.", nameof(data));
            var json = JsonSerializer.Serialize(attributes, Stored);
            if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxStoredBytes)
                throw new ArgumentException($"A device's attributes take at most {MaxStoredBytes:N0} bytes.", nameof(data));
            var now = clock.GetUtcNow().UtcDateTime;
            return await Sql.ExecAsync(connection, tx,
                """
                INSERT INTO ota_ddi_target (vin, config_data, config_data_at, updated_at) VALUES (@vin, @data, @now, @now)
                ON DUPLICATE KEY UPDATE config_data = VALUES(config_data), config_data_at = VALUES(config_data_at), updated_at = VALUES(updated_at)
                """, ct, ("@vin", vin), ("@data", json), ("@now", now));
        }, ct);
        // Not the shared generation: that would drop every device's state on every instance, and a fleet of new devices
        // (each sends its attributes on first contact) would turn every poll into a query. Another instance may offer
        // the configData link a little longer; the device then sends its attributes again, which changes nothing.
        devices.Forget(vin);
    }

    /// <summary>The attributes a device sent, for its vehicle page; null when it sent none.</summary>
    public async Task<IReadOnlyDictionary<string, string>?> GetAsync(string vin, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await Sql.ScalarAsync(connection, null, "SELECT config_data FROM ota_ddi_target WHERE vin = @vin", ct, ("@vin", vin)) is string json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json)
            : null;
    }
}
