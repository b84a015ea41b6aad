using System.Data;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MySqlConnector;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Infrastructure.VinLists;

namespace Ota.Web.ConsoleServices;

/// <summary>
/// The console's Excel downloads: the VIN list and vehicle templates, a validation run's rejected VINs with their
/// reasons, a task's VINs, and the black/white lists. Rows stream from MySQL into a temporary workbook (MiniExcel
/// writes synchronously, which a response body does not allow) that is sent and then deleted.
/// </summary>
public static class ConsoleDownloads
{
    public const string Prefix = "/console/downloads";

    public static string VinTemplate => $"{Prefix}/vin-template.xlsx";
    public static string VehicleTemplate => $"{Prefix}/vehicle-template.xlsx";
    public static string Rejected(long runId) => $"{Prefix}/validation-runs/{runId}/rejected.xlsx";
    public static string TaskVins(long taskId) => $"{Prefix}/tasks/{taskId}/vins.xlsx";
    public static string List(string kind) => $"{Prefix}/lists/{kind}.xlsx";

    public static IEndpointRouteBuilder MapConsoleDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).RequireAuthorization().ExcludeFromDescription();
        group.MapGet("/vin-template.xlsx", VinTemplateAsync);
        group.MapGet("/vehicle-template.xlsx", VehicleTemplateAsync);
        group.MapGet("/validation-runs/{runId:long}/rejected.xlsx", RejectedAsync);
        group.MapGet("/tasks/{taskId:long}/vins.xlsx", TaskVinsAsync);
        group.MapGet("/lists/{kind}.xlsx", ListAsync);
        return app;
    }

    private static Task<IResult> VinTemplateAsync(CancellationToken ct) =>
        WorkbookAsync("vin-list-template.xlsx", path => MiniExcel.SaveAs(path, new[]
        {
            new Dictionary<string, object?> { ["VIN"] = DemoWorld.VinOf(1) },
            new Dictionary<string, object?> { ["VIN"] = DemoWorld.VinOf(2) },
        }, overwriteFile: true), ct);

    private static Task<IResult> VehicleTemplateAsync(CancellationToken ct) =>
        WorkbookAsync("vehicle-template.xlsx", path => MiniExcel.SaveAs(path, new[]
        {
            VehicleImporter.Columns.ToDictionary(c => c, c => (object?)(c switch
            {
                "vin" => "LTEMPLATE00000001", "seriesModel" => "S1-M1", "platform" => "P1", "lifecycleStatus" => "Delivered",
                "usage" => "Production", "sold" or "activated" or "passengerCar" => "true", "firmwareVersion" => "3.1.4",
                _ => "",
            })),
        }, overwriteFile: true), ct);

    private static async Task<IResult> RejectedAsync(long runId, TaskValidationService validation, IDbContextFactory<OtaDbContext> contexts,
        CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.ValidationRuns.AnyAsync(r => r.Id == runId, ct))
                return TypedResults.Problem(statusCode: 404, detail: $"There is no validation run {runId}.");
        }
        var rows = validation.ReadRejectionsAsync(runId, ct).ToBlockingEnumerable(ct).Select(r => new Dictionary<string, object?>
        {
            ["VIN"] = r.Entry,
            ["Codes"] = string.Join(' ', r.Codes),
            ["Reasons"] = ReasonTexts.Describe(r.Codes),
        });
        return await WorkbookAsync($"validation-run-{runId}-rejected.xlsx", path => MiniExcel.SaveAs(path, Headed(rows, "VIN", "Codes", "Reasons"),
            overwriteFile: true), ct);
    }

    private static async Task<IResult> TaskVinsAsync(long taskId, MySqlConnectionFactory connections, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand(
            """
            SELECT v.vin AS VIN, v.state AS State, COALESCE(v.verdict_codes, '') AS Verdict, COALESCE(v.message_id, '') AS MessageId,
                   v.notified_at AS NotifiedAtUtc, v.resend_count AS Resends, COALESCE(v.error_type, '') AS ErrorType,
                   COALESCE(l.state, '') AS LastStatus, COALESCE(l.error_type, '') AS LastError, l.reported_at AS LastReportedAtUtc,
                   l.task_id AS LastStatusTask
            FROM ota_task_vin v LEFT JOIN ota_vehicle_latest_status l ON l.vin = v.vin
            WHERE v.task_id = @task ORDER BY v.vin
            """, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("@task", taskId);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        return await WorkbookAsync($"task-{taskId}-vins.xlsx", path => MiniExcel.SaveAs(path, reader, overwriteFile: true), ct);
    }

    private static async Task<IResult> ListAsync(string kind, MySqlConnectionFactory connections, CancellationToken ct)
    {
        var list = VehicleListKind.Parse(kind);
        if (list is null) return TypedResults.Problem(statusCode: 404, detail: $"There is no list '{kind}'.");
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand(list.WhitelistType is null
            ? "SELECT vin AS vin, COALESCE(reason, '') AS reason, created_at AS createdAtUtc FROM ota_vehicle_blacklist WHERE is_delete = 0 ORDER BY vin"
            : "SELECT vin AS vin, COALESCE(reason, '') AS reason, created_at AS createdAtUtc FROM ota_vehicle_whitelist WHERE is_delete = 0 AND type = @type ORDER BY vin",
            connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("@type", list.WhitelistType?.ToString());
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await WorkbookAsync($"{list.Name}.xlsx", path => MiniExcel.SaveAs(path, reader, overwriteFile: true), ct);
    }

    /// <summary>The rows, or an empty table with the header when there are none (MiniExcel takes the header from the first row).</summary>
    private static object Headed(IEnumerable<Dictionary<string, object?>> rows, params string[] columns)
    {
        var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            enumerator.Dispose();
            var empty = new DataTable();
            foreach (var column in columns) empty.Columns.Add(column, typeof(string));
            return empty;
        }
        return Rest(enumerator);

        static IEnumerable<Dictionary<string, object?>> Rest(IEnumerator<Dictionary<string, object?>> started)
        {
            using (started)
            {
                do yield return started.Current;
                while (started.MoveNext());
            }
        }
    }

    private static async Task<IResult> WorkbookAsync(string downloadName, Action<string> write, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ota-download-{Guid.NewGuid():N}.xlsx");
        try
        {
            await Task.Run(() => write(path), ct);
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            return TypedResults.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", downloadName);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}
