using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench soak --minutes M`: load held for M minutes. Two load generators (package-info and event reports, each
/// its own process, as in `bench vehicle-api`) keep the vehicle API busy the whole time, while every minute a campaign
/// wave is validated, published and pushed to the fleet simulator (a third process), which fetches, reports and fails
/// as in `bench e2e`. Per minute: throughput, errors and latency percentiles of each endpoint, the app's memory, notices
/// sent and status reports stored. Everything the run created is removed afterwards.
/// </summary>
internal sealed class SoakBenchmark : IBenchmark
{
    public string Name => "soak";
    public string Usage => "--minutes M (10) [--wave W] (simulated vehicles per campaign wave, one wave a minute, default 1000) [--concurrency C] (callers per load generator, default 4)";
    public bool NeedsRunningApp => true;

    private sealed record Minute(int Index, double WorkingSetMiB, double ManagedMiB, long Notices, long StatusReports);

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var minutes = context.IntArg("--minutes", 10);
        var wave = context.IntArg("--wave", 1000);
        var concurrency = context.IntArg("--concurrency", 4);
        var services = context.Services;
        var log = context.Out;
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        var simulatorDll = Environment.GetEnvironmentVariable("OTA_SIMULATOR_DLL");
        if (simulatorDll is null || !File.Exists(simulatorDll))
        {
            log.WriteLine("the fleet simulator is not built (OTA_SIMULATOR_DLL); run this through ./ota bench soak");
            return 2;
        }

        var folder = Path.Combine(services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench");
        Directory.CreateDirectory(folder);
        var apiVehiclesFile = Path.Combine(folder, "soak-api-vehicles.csv");
        var fleetFile = Path.Combine(folder, "soak-fleet.csv");
        await VehicleApiBenchmark.RemoveBenchDataAsync(services, ct);
        await EndToEndBenchmark.RemoveBenchDataAsync(connections, log, ct);
        try
        {
            await VehicleApiBenchmark.AddVehiclesAsync(services, 2000, apiVehiclesFile, ct);
            var fleet = wave * minutes;
            var seriesModelId = await EndToEndBenchmark.CreateFleetAsync(services, fleet, log, ct);
            await EndToEndBenchmark.WriteVehiclesFileAsync(fleetFile, fleet, ct);

            var seconds = minutes * 60;
            var broker = services.GetRequiredService<EmbeddedMqttBroker>();
            var (simulator, simulatorOutput) = BenchData.StartSimulator(simulatorDll, fleetFile, context.BaseUrl, broker.Port, ct,
                "--concurrency", "32", "--duration", (seconds + 60).ToString(CultureInfo.InvariantCulture),
                "--idle-seconds", (seconds + 60).ToString(CultureInfo.InvariantCulture));
            using var _ = simulator;
            await Task.Delay(3000, ct); // the fleet connects and subscribes

            log.WriteLine($"soak: {minutes} min; vehicle API load {concurrency} + {concurrency} callers (package-info, events of 10) over 2,000 vehicles; " +
                          $"a campaign wave of {wave:N0} simulated vehicles every minute (10 % failing)");
            var packageInfo = VehicleApiBenchmark.LoadInWindowsAsync(context, "package-info", apiVehiclesFile, seconds, concurrency, 60, ct);
            var events = VehicleApiBenchmark.LoadInWindowsAsync(context, "events", apiVehiclesFile, seconds, concurrency, 60, ct);

            var clock = Stopwatch.StartNew();
            var samples = new List<Minute>();
            var operations = services.GetRequiredService<TaskOperations>();
            var validation = services.GetRequiredService<TaskValidationService>();
            for (var m = 0; m < minutes; m++)
            {
                var vins = Enumerable.Range(m * wave + 1, wave).Select(i => (string?)EndToEndBenchmark.VinOf(i)).ToList();
                var progress = await validation.ValidateNowAsync(new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
                {
                    Task = new TaskSpec($"{EndToEndBenchmark.TaskName} soak wave {m + 1}", 0, DateTime.UtcNow.AddDays(1)),
                    PublishWhenDone = true,
                }, vins, ct);
                if (progress.TaskId is { } taskId) await operations.PushNowAsync(taskId, "bench", ct);
                else log.WriteLine($"wave {m + 1}: validation ended {progress.Status} {string.Join(' ', progress.TaskCodes)} {progress.Error}");

                var peak = 0.0;
                while (clock.Elapsed < TimeSpan.FromMinutes(m + 1))
                {
                    peak = Math.Max(peak, WorkingSetMiB());
                    await Task.Delay(TimeSpan.FromSeconds(5), ct);
                }
                samples.Add(new Minute(m, Math.Max(peak, WorkingSetMiB()), GC.GetTotalMemory(false) / 1048576.0,
                    await BenchData.CountAsync(connections, "ota_vehicle_download_notice", EndToEndBenchmark.VinPrefix, ct),
                    await BenchData.CountAsync(connections, "ota_vehicle_upgrade_status", EndToEndBenchmark.VinPrefix, ct)));
                var last = samples[^1];
                log.WriteLine(FormattableString.Invariant($"  minute {m + 1,2}: app {last.WorkingSetMiB,6:0} MiB resident, {last.ManagedMiB,6:0} MiB managed; {last.Notices,8:N0} notices, {last.StatusReports,8:N0} status reports so far"));
            }

            var (packageFigures, packageWindows, _) = await packageInfo;
            var (eventFigures, eventWindows, _) = await events;
            var drain = Stopwatch.StartNew();
            while (await EndToEndBenchmark.FollowUpsPendingAsync(connections, ct) && drain.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(1000, ct);
            // Ctrl+C for the simulator: it stops taking notices and prints its summary.
            if (Interrupt(simulator.Id) != 0) simulator.Kill();
            await simulator.WaitForExitAsync(ct);
            var json = (await simulatorOutput).Split('\n').LastOrDefault(l => l.StartsWith('{'));

            log.WriteLine();
            log.WriteLine($"{"minute",6} {"package-info req/s",18} {"p50",7} {"p99",7} {"events req/s",13} {"p50",7} {"p99",7} {"errors",7} {"app MiB",8} {"managed",8} {"notices",9} {"statuses",9}");
            foreach (var sample in samples)
            {
                var p = packageWindows.FirstOrDefault(w => w.Index == sample.Index);
                var e = eventWindows.FirstOrDefault(w => w.Index == sample.Index);
                log.WriteLine(FormattableString.Invariant(
                    $"{sample.Index + 1,6} {p?.PerSecond ?? 0,18:0} {p?.P50 ?? 0,7:0.0} {p?.P99 ?? 0,7:0.0} {e?.PerSecond ?? 0,13:0} {e?.P50 ?? 0,7:0.0} {e?.P99 ?? 0,7:0.0} {(p?.Errors ?? 0) + (e?.Errors ?? 0),7} {sample.WorkingSetMiB,8:0} {sample.ManagedMiB,8:0} {sample.Notices,9:N0} {sample.StatusReports,9:N0}"));
            }
            var requests = packageFigures.Requests + eventFigures.Requests;
            var errors = packageFigures.Errors + eventFigures.Errors;
            long protocolErrors = -1, successes = 0, notices = 0;
            if (json is not null)
            {
                using var summary = JsonDocument.Parse(json);
                protocolErrors = summary.RootElement.GetProperty("protocolErrors").GetInt64();
                successes = summary.RootElement.GetProperty("successes").GetInt64();
                notices = summary.RootElement.GetProperty("notices").GetInt64();
            }
            log.WriteLine();
            log.WriteLine($"vehicle API: {requests:N0} requests, {errors:N0} errors ({(requests == 0 ? 0 : 100.0 * errors / requests):0.###} %)" +
                          (errors > 0 ? $"; first: {packageFigures.FirstError ?? eventFigures.FirstError}" : ""));
            log.WriteLine($"fleet simulator: {notices:N0} notices received, {successes:N0} upgraded, protocol errors {protocolErrors}");
            log.WriteLine($"follow-ups: {(drain.Elapsed < TimeSpan.FromMinutes(5) ? $"drained {drain.Elapsed.TotalSeconds:0} s after the load" : "still pending after 5 min")}");
            log.WriteLine();
            context.Result("soak_minutes", minutes, "min");
            context.Result("soak_requests", requests, "requests");
            context.Result("soak_error_rate", requests == 0 ? 0 : 100.0 * errors / requests, "%");
            context.Result("soak_package_info_p50_ms", packageFigures.P50, "ms");
            context.Result("soak_package_info_p99_ms", packageFigures.P99, "ms");
            context.Result("soak_events_p50_ms", eventFigures.P50, "ms");
            context.Result("soak_events_p99_ms", eventFigures.P99, "ms");
            context.Result("soak_worst_minute_p99_ms", packageWindows.Concat(eventWindows).Select(w => w.P99).DefaultIfEmpty(0).Max(), "ms");
            context.Result("soak_app_memory_first_minute_mib", samples.Count > 0 ? samples[0].WorkingSetMiB : 0, "MiB");
            context.Result("soak_app_memory_last_minute_mib", samples.Count > 0 ? samples[^1].WorkingSetMiB : 0, "MiB");
            context.Result("soak_campaign_vehicles_upgraded", successes, "vehicles");
            context.Result("soak_protocol_errors", protocolErrors, "errors");
            return errors == 0 && protocolErrors == 0 ? 0 : 1;
        }
        finally
        {
            await VehicleApiBenchmark.RemoveBenchDataAsync(services, CancellationToken.None);
            await EndToEndBenchmark.RemoveBenchDataAsync(connections, log, CancellationToken.None);
            File.Delete(apiVehiclesFile);
            File.Delete(fleetFile);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int Interrupt(int pid) => SendSignal(pid, 2 /* SIGINT */);

    private static double WorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }
}
