using System.Data;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Tasks;

/// <summary>A task's VINs as an Excel download: state, verdict, notice and the vehicle's latest report, in VIN order.</summary>
public sealed class TaskVinWorkbook(MySqlConnectionFactory connections)
{
    // ErrorType as the page's Error column (TaskVinRow.Failure): the recorded error, else the latest report's for this task.
    public async Task WriteAsync(long taskId, string path, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = Sql.Command(connection, null,
            """
            SELECT v.vin AS VIN, v.state AS State, COALESCE(v.verdict_codes, '') AS Verdict, COALESCE(v.message_id, '') AS MessageId,
                   v.notified_at AS NotifiedAtUtc, v.resend_count AS Resends, COALESCE(v.error_type, IF(l.task_id = v.task_id, l.error_type, NULL), '') AS ErrorType,
                   COALESCE(l.state, '') AS LastStatus, COALESCE(l.error_type, '') AS LastError, l.reported_at AS LastReportedAtUtc,
                   l.task_id AS LastStatusTask
            FROM ota_task_vin v LEFT JOIN ota_vehicle_latest_status l ON l.vin = v.vin
            WHERE v.task_id = @task ORDER BY v.vin
            """, ("@task", taskId));
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        await Workbook.SaveAsync(path, reader, ct);
    }
}
