using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench e2e --vehicles N`: the whole journey at scale. N vehicles of the bench's own (VINs LBEND…) are validated
/// into a task, pushed over MQTT to the fleet simulator running as a second process, which fetches descriptions and
/// reports progress and status with a 10 % failure rate; then the follow-ups drain. Each stage is timed from the start.
/// Everything the run created is removed afterwards.
/// </summary>
internal sealed class EndToEndBenchmark : IBenchmark
{
    internal const string VinPrefix = "LBEND";
    internal const string TaskName = "bench e2e";

    public string Name => "e2e";
    public string Usage => "--vehicles N   (default 10000) [--concurrency C] (simulated vehicles working at once, default 64)";
    public bool NeedsRunningApp => true;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var n = context.IntArg("--vehicles", 10_000);
        var concurrency = context.IntArg("--concurrency", 64);
        var services = context.Services;
        var log = context.Out;
        var contexts = services.GetRequiredService<IDbContextFactory<OtaDbContext>>();
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        var simulatorDll = Environment.GetEnvironmentVariable("OTA_SIMULATOR_DLL");
        if (simulatorDll is null || !File.Exists(simulatorDll))
        {
            log.WriteLine("the fleet simulator is not built (OTA_SIMULATOR_DLL); run this through ./ota bench e2e");
            return 2;
        }

        await RemoveBenchDataAsync(connections, log, ct);
        var seriesModelId = await CreateFleetAsync(services, n, log, ct);
        var folder = Path.Combine(services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench");
        Directory.CreateDirectory(folder);
        var vehiclesFile = Path.Combine(folder, "e2e-vehicles.csv");
        await WriteVehiclesFileAsync(vehiclesFile, n, ct);

        var broker = services.GetRequiredService<EmbeddedMqttBroker>();
        var (simulator, simulatorOutput) = BenchData.StartSimulator(simulatorDll, vehiclesFile, context.BaseUrl, broker.Port, ct,
            "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--idle-seconds", "20");
        using var _ = simulator;
        await Task.Delay(3000, ct); // the fleet connects and subscribes

        var t0 = Stopwatch.StartNew();
        var origin = DateTimeOffset.UtcNow;
        log.WriteLine($"validating {n:N0} VINs …");
        var vins = Enumerable.Range(1, n).Select(i => (string?)VinOf(i)).ToList();
        var progress = await services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
            {
                Task = new TaskSpec($"{TaskName} {n:N0}", 0, DateTime.UtcNow.AddDays(1)),
                PublishWhenDone = true,
            }, vins, ct);
        var validated = t0.Elapsed;
        if (progress.TaskId is not { } taskId)
        {
            log.WriteLine($"validation ended {progress.Status}: {string.Join(' ', progress.TaskCodes)} {progress.Error}");
            return 1;
        }

        log.WriteLine($"pushing {progress.Accepted:N0} notices; the simulated fleet answers …");
        await services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "bench", ct);
        while (!await IsExecutedAsync(contexts, taskId, ct)) await Task.Delay(200, ct);
        var pushed = t0.Elapsed;

        await simulator.WaitForExitAsync(ct);
        var json = (await simulatorOutput).Split('\n').Last(l => l.StartsWith('{'));
        using var summary = JsonDocument.Parse(json);
        var s = summary.RootElement;
        TimeSpan At(string field) => DateTimeOffset.FromUnixTimeMilliseconds(s.GetProperty(field).GetInt64()) - origin;

        log.WriteLine("follow-ups draining …");
        while (await FollowUpsPendingAsync(connections, ct)) await Task.Delay(1000, ct);
        // Drained when the last follow-up of the bench's reports was done (the simulator idles a while before it exits, so
        // the moment this loop sees no backlog is later than that).
        var drained = await BenchData.FollowUpsDoneAtAsync(connections, VinPrefix, ct) - origin;
        var statusReports = s.GetProperty("statusReports").GetInt64();
        var lag = await BenchData.FollowUpLagAsync(connections, VinPrefix, ct);

        log.WriteLine();
        log.WriteLine($"{"stage",-14}{"from",10}{"to",10}{"seconds",10}   what");
        void Row(string stage, TimeSpan from, TimeSpan to, string what) =>
            log.WriteLine(FormattableString.Invariant($"{stage,-14}{from.TotalSeconds,10:0.0}{to.TotalSeconds,10:0.0}{(to - from).TotalSeconds,10:0.0}   {what}"));
        Row("validate", TimeSpan.Zero, validated, $"{n:N0} VINs staged, judged, {progress.Accepted:N0} task-VINs created and published");
        Row("push", validated, pushed, $"{progress.Accepted:N0} notices claimed, re-validated, sent over MQTT, recorded");
        Row("fetch", At("firstNoticeAt"), At("lastDescriptionAt"), $"{s.GetProperty("descriptionsFetched").GetInt64():N0} signed package-info calls, descriptions checked and stored");
        Row("report", At("firstNoticeAt"), At("lastReportAt"), $"{s.GetProperty("eventRequests").GetInt64():N0} event reports, {s.GetProperty("eventsSent").GetInt64():N0} events, {statusReports:N0} status reports");
        Row("follow-ups", At("firstNoticeAt"), drained, "eight actions decided per status report, delivered (notification centre, stream, work orders)");
        Row("total", TimeSpan.Zero, drained, $"{s.GetProperty("successes").GetInt64():N0} upgraded, failures {s.GetProperty("failures")}");
        log.WriteLine($"protocol errors: {s.GetProperty("protocolErrors").GetInt64()}");
        log.WriteLine(FormattableString.Invariant(
            $"follow-up lag (a status report's receipt to its last action done), {lag.Reports:N0} reports: p50 {lag.P50.TotalSeconds:0.0} s, p99 {lag.P99.TotalSeconds:0.0} s, max {lag.Max.TotalSeconds:0.0} s; drained {(drained - At("lastReportAt")).TotalSeconds:0.0} s after the last report"));
        log.WriteLine($"follow-up lag histogram: {lag.Histogram()}");
        log.WriteLine();
        context.Result("e2e_vehicles", n, "vehicles");
        context.Result("e2e_total_seconds", drained.TotalSeconds, "s");
        context.Result("e2e_validate_seconds", validated.TotalSeconds, "s");
        context.Result("e2e_push_seconds", (pushed - validated).TotalSeconds, "s");
        context.Result("e2e_fetch_seconds", (At("lastDescriptionAt") - At("firstNoticeAt")).TotalSeconds, "s");
        context.Result("e2e_report_seconds", (At("lastReportAt") - At("firstNoticeAt")).TotalSeconds, "s");
        context.Result("e2e_followup_lag_p50_seconds", lag.P50.TotalSeconds, "s");
        context.Result("e2e_followup_lag_p99_seconds", lag.P99.TotalSeconds, "s");
        context.Result("e2e_followup_lag_max_seconds", lag.Max.TotalSeconds, "s");
        context.Result("e2e_drained_after_last_report_seconds", (drained - At("lastReportAt")).TotalSeconds, "s");
        context.Result("e2e_protocol_errors", s.GetProperty("protocolErrors").GetInt64(), "errors");

        await RemoveBenchDataAsync(connections, log, ct);
        return s.GetProperty("protocolErrors").GetInt64() == 0 && simulator.ExitCode == 0 ? 0 : 1;
    }

    internal static string VinOf(int i) => BenchData.VinOf(VinPrefix, i);

    internal static Task<long> CreateFleetAsync(IServiceProvider services, int n, TextWriter log, CancellationToken ct) =>
        BenchData.CreateFleetAsync(services, VinPrefix, n, log, ct);

    internal static Task WriteVehiclesFileAsync(string path, int n, CancellationToken ct) => BenchData.WriteVehiclesFileAsync(path, VinPrefix, n, ct);

    private static async Task<bool> IsExecutedAsync(IDbContextFactory<OtaDbContext> contexts, long taskId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Tasks.AnyAsync(t => t.Id == taskId && t.Status == UpgradeTaskStatus.Executed, ct);
    }

    /// <summary>
    /// Whether a status report of the bench's vehicles still waits to be decided or published. An existence check, asked
    /// once a second: counting a backlog of hundreds of thousands of rows every quarter second would itself slow the
    /// follow-ups it waits for.
    /// </summary>
    internal static async Task<bool> FollowUpsPendingAsync(MySqlConnectionFactory connections, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM ota_follow_up WHERE state = {Sql.Text(FollowUpState.Pending)} AND step IN {Sql.List([FollowUpStep.Decide, FollowUpStep.PublishToStream])} AND vin LIKE '{VinPrefix}%')", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) == 1;
    }

    /// <summary>Deletes the bench's vehicles, tasks and everything they caused, so runs do not add up in the run database.</summary>
    internal static async Task RemoveBenchDataAsync(MySqlConnectionFactory connections, TextWriter log, CancellationToken ct)
    {
        var removed = await BenchData.RemoveAsync(connections, VinPrefix, ct, TaskName);
        if (removed > 0) log.WriteLine($"removed {removed:N0} rows of bench data");
    }
}
