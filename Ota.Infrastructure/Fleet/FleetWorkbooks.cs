using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Fleet;

/// <summary>The fleet's Excel downloads: the vehicle import template and the black and white lists.</summary>
public sealed class FleetWorkbooks(MySqlConnectionFactory connections)
{
    public static Task WriteVehicleTemplateAsync(string path, CancellationToken ct) =>
        Workbook.SaveAsync(path,
        [
            VehicleImporter.Columns.ToDictionary(c => c, c => (object?)(c switch
            {
                "vin" => "LTEMPLATE00000001", "seriesModel" => "S1-M1", "platform" => "P1", "lifecycleStatus" => "Delivered",
                "usage" => "Production", "sold" or "activated" or "passengerCar" => "true", "firmwareVersion" => "3.1.4",
                _ => "",
            })),
        ], VehicleImporter.Columns, ct);

    /// <summary>The active entries of a list, in VIN order.</summary>
    public async Task WriteListAsync(VehicleListKind list, string path, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = Sql.Command(connection, null, list.WhitelistType is null
            ? "SELECT vin AS vin, COALESCE(reason, '') AS reason, created_at AS createdAtUtc FROM ota_vehicle_blacklist WHERE is_delete = 0 ORDER BY vin"
            : "SELECT vin AS vin, COALESCE(reason, '') AS reason, created_at AS createdAtUtc FROM ota_vehicle_whitelist WHERE is_delete = 0 AND type = @type ORDER BY vin",
            ("@type", list.WhitelistType?.ToString()));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await Workbook.SaveAsync(path, reader, ct);
    }
}
