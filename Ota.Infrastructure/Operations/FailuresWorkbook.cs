using System.Data;
using Ota.Domain;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Operations;

/// <summary>
/// The failures across tasks as an Excel download: every vehicle whose latest report failed with an error type (the
/// dashboard's "failures by error type", the same rule), optionally of one error type, with the task it failed in, from the (error_type) rows of the latest-status table.
/// </summary>
public sealed class FailuresWorkbook(MySqlConnectionFactory connections)
{
    public async Task WriteAsync(ErrorType? error, string path, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = Sql.Command(connection, null,
            $"""
            SELECT l.vin AS VIN, l.error_type AS ErrorType, l.state AS LastStatus, l.reported_at AS ReportedAtUtc,
                   l.task_id AS Task, COALESCE(t.name, '') AS TaskName, COALESCE(t.target_version, '') AS TargetVersion,
                   COALESCE(s.code, '') AS SeriesModel, COALESCE(v.firmware_version, '') AS Firmware
            FROM ota_vehicle_latest_status l
              LEFT JOIN ota_task t ON t.id = l.task_id
              LEFT JOIN ota_vehicle v ON v.vin = l.vin
              LEFT JOIN ota_series_model s ON s.id = v.series_model_id
            WHERE l.state = {Sql.Text(UpgradeState.Failed)} AND l.error_type IS NOT NULL {(error is { } e ? $"AND l.error_type = {Sql.Text(e)}" : "")}
            ORDER BY l.error_type, l.task_id, l.vin
            """);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        await Workbook.SaveAsync(path, reader, ct);
    }
}
