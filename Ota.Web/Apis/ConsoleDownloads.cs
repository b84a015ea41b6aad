using Ota.Domain;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Operations;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Web.Apis;

/// <summary>
/// The console's Excel downloads: the VIN list and vehicle templates, a validation run's rejected VINs with their
/// reasons, a task's VINs, and the black/white lists. Each flow writes its workbook to a temporary file (MiniExcel
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
    public static string Failures(ErrorType? error = null) => error is { } e ? $"{Prefix}/failures.xlsx?error={e}" : $"{Prefix}/failures.xlsx";

    public static IEndpointRouteBuilder MapConsoleDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).RequireAuthorization().ExcludeFromDescription();
        group.MapGet("/vin-template.xlsx", (CancellationToken ct) =>
            WorkbookAsync("vin-list-template.xlsx", path => VinListWorkbooks.WriteTemplateAsync(path, [DemoWorld.VinOf(1), DemoWorld.VinOf(2)], ct)));
        group.MapGet("/vehicle-template.xlsx", (CancellationToken ct) =>
            WorkbookAsync("vehicle-template.xlsx", path => FleetWorkbooks.WriteVehicleTemplateAsync(path, ct)));
        group.MapGet("/validation-runs/{runId:long}/rejected.xlsx", RejectedAsync);
        group.MapGet("/tasks/{taskId:long}/vins.xlsx", (long taskId, TaskVinWorkbook workbook, CancellationToken ct) =>
            WorkbookAsync($"task-{taskId}-vins.xlsx", path => workbook.WriteAsync(taskId, path, ct)));
        group.MapGet("/lists/{kind}.xlsx", ListAsync);
        group.MapGet("/failures.xlsx", FailuresAsync);
        return app;
    }

    private static async Task<IResult> RejectedAsync(long runId, VinListWorkbooks workbooks, CancellationToken ct)
    {
        var found = true;
        var result = await WorkbookAsync($"validation-run-{runId}-rejected.xlsx", async path => found = await workbooks.WriteRejectedAsync(runId, path, ct));
        return found ? result : TypedResults.Problem(statusCode: 404, detail: $"There is no validation run {runId}.");
    }

    private static Task<IResult> FailuresAsync(string? error, FailuresWorkbook workbook, CancellationToken ct)
    {
        ErrorType? type = null;
        if (!string.IsNullOrEmpty(error))
        {
            if (!Enum.GetNames<ErrorType>().Contains(error) || !Enum.TryParse<ErrorType>(error, out var parsed))
                return Task.FromResult<IResult>(ApiProblems.BadRequest("ERROR_TYPE_INVALID",
                    $"'{error}' is not an error type; use one of {string.Join(", ", Enum.GetNames<ErrorType>())}."));
            type = parsed;
        }
        return WorkbookAsync(type is { } t ? $"failures-{t}.xlsx" : "failures.xlsx", path => workbook.WriteAsync(type, path, ct));
    }

    private static Task<IResult> ListAsync(string kind, FleetWorkbooks workbooks, CancellationToken ct) =>
        VehicleListKind.Parse(kind) is { } list
            ? WorkbookAsync($"{list.Name}.xlsx", path => workbooks.WriteListAsync(list, path, ct))
            : Task.FromResult<IResult>(TypedResults.Problem(statusCode: 404, detail: $"There is no list '{kind}'."));

    private static async Task<IResult> WorkbookAsync(string downloadName, Func<string, Task> write)
    {
        var path = Path.Combine(Path.GetTempPath(), $"ota-download-{Guid.NewGuid():N}.xlsx");
        try
        {
            await write(path);
            if (!File.Exists(path)) return TypedResults.NotFound();
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
