using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench ddi`: the hawkBit DDI API (SPEC §14) under the fleet simulator's DDI devices (`--ddi`, a second process),
/// on bench vehicles of its own (VINs LBDDX…, updateClient Ddi, each with a target token stored through
/// <see cref="DdiTokens.StoreAsync"/>). Two parts:
/// <list type="number">
/// <item>idle polls: N devices with nothing to do, polled round the fleet by C concurrent connections as fast as the app
/// answers, for S seconds after a warm-up; polls/s and the client-side p50/p99 (issue 19: ≥ 5,000/s at p99 ≤ 20 ms);</item>
/// <item>a campaign: M devices in a Normal task validated, published and pushed, polling at the app's
/// <c>config.polling.sleep</c>; they fetch their deployment, download the demo world's stored files with their token,
/// report, and fail at the failure rate (after the download: UpgradeFailed, which ends the task-VIN); timed until no
/// task-VIN is left in flight, with the counts by state and the protocol errors (target 0).</item>
/// </list>
/// Everything the run created is removed afterwards.
/// </summary>
internal sealed class DdiBenchmark : IBenchmark
{
    internal const string VinPrefix = "LBDDX";
    internal const string TaskName = "bench ddi";

    public string Name => "ddi";
    public string Usage => "[--devices N (10000)] [--concurrency C (32)] [--seconds S (20)] [--warmup S (10)] " +
                           "[--campaign-devices M (10000)] [--campaign-concurrency C (64)] [--sleep S (5)] [--failure-rate R (0.1)] [--idle-only | --campaign-only]";
    public bool NeedsRunningApp => true;

    /// <summary>The bench devices' own pace: a device's allowance is not what is measured, and the campaign's poll sleep.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings(IReadOnlyList<string> args) => new Dictionary<string, string?>
    {
        ["RateLimits:VehiclePerSecond"] = "100000",
        ["RateLimits:VehicleBurst"] = "100000",
        ["Ddi:PollingSleep"] = TimeSpan.FromSeconds(SleepOf(args)).ToString("c", CultureInfo.InvariantCulture),
    };

    private static int SleepOf(IReadOnlyList<string> args)
    {
        var i = args.ToList().IndexOf("--sleep");
        return i >= 0 && i + 1 < args.Count && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 5;
    }

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var idleDevices = context.IntArg("--devices", 10_000);
        var concurrency = context.IntArg("--concurrency", 32);
        var seconds = context.IntArg("--seconds", 20);
        var warmup = context.IntArg("--warmup", 10);
        var campaignDevices = context.IntArg("--campaign-devices", 10_000);
        var campaignConcurrency = context.IntArg("--campaign-concurrency", 64);
        var failureRate = context.DoubleArg("--failure-rate", 0.1);
        var runIdle = !context.Args.Contains("--campaign-only");
        var runCampaign = !context.Args.Contains("--idle-only");
        var services = context.Services;
        var log = context.Out;
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        var simulatorDll = Environment.GetEnvironmentVariable("OTA_SIMULATOR_DLL");
        if (simulatorDll is null || !File.Exists(simulatorDll))
        {
            log.WriteLine("the fleet simulator is not built (OTA_SIMULATOR_DLL); run this through ./ota bench ddi");
            return 2;
        }

        await RemoveBenchDataAsync(connections, log, ct);
        var n = Math.Max(runIdle ? idleDevices : 0, runCampaign ? campaignDevices : 0);
        var seriesModelId = await BenchData.CreateFleetAsync(services, VinPrefix, n, log, ct, UpdateClient.Ddi);
        var tokens = Enumerable.Range(1, n).Select(i => BenchData.VinOf(VinPrefix, i)).ToDictionary(v => v, _ => DdiTokens.Generate());
        var stored = await services.GetRequiredService<DdiTokens>().StoreAsync([.. tokens.Select(t => (t.Key, t.Value))], ct);
        log.WriteLine($"{stored:N0} DDI target tokens stored; app at {context.BaseUrl}, polling sleep {services.GetRequiredService<IOptions<DdiOptions>>().Value.PollingSleep}");
        var folder = Path.Combine(services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench");
        Directory.CreateDirectory(folder);
        var vehiclesFile = Path.Combine(folder, "ddi-devices.csv");
        var ok = true;
        try
        {
            if (runIdle)
            {
                await BenchData.WriteVehiclesFileAsync(vehiclesFile, VinPrefix, idleDevices, ct, tokens);
                ok &= await IdlePollsAsync(context, simulatorDll, vehiclesFile, idleDevices, concurrency, warmup, seconds, ct);
            }
            if (runCampaign)
            {
                await BenchData.WriteVehiclesFileAsync(vehiclesFile, VinPrefix, campaignDevices, ct, tokens);
                ok &= await CampaignAsync(context, simulatorDll, vehiclesFile, seriesModelId, campaignDevices, campaignConcurrency, failureRate, ct);
            }
        }
        finally
        {
            File.Delete(vehiclesFile);
            await RemoveBenchDataAsync(connections, log, CancellationToken.None);
        }
        return ok ? 0 : 1;
    }

    private static async Task<bool> IdlePollsAsync(BenchmarkContext context, string simulatorDll, string vehiclesFile, int devices, int concurrency,
        int warmup, int seconds, CancellationToken ct)
    {
        var log = context.Out;
        await AttributesSentAsync(context.Services, ct);
        log.WriteLine($"idle polls: {devices:N0} devices with nothing to do, {concurrency} connections polling round the fleet, {warmup} s warm-up, then {seconds} s measured …");
        using var app = Process.GetCurrentProcess();
        var cpuBefore = app.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (simulator, output) = BenchData.StartSimulator(simulatorDll, vehiclesFile, context.BaseUrl, MqttPort(context), ct,
            "--ddi", "--poll-interval", "0", "--concurrency", Text(concurrency), "--poll-warmup", Text(warmup), "--duration", Text(warmup + seconds),
            "--failure-rate", "0");
        using var _ = simulator;
        await simulator.WaitForExitAsync(ct);
        app.Refresh();
        var appCpu = (app.TotalProcessorTime - cpuBefore).TotalSeconds / clock.Elapsed.TotalSeconds;
        var s = Summary(await output);
        var polls = s.GetProperty("pollsMeasured").GetInt64();
        var perSecond = s.GetProperty("pollsPerSecond").GetDouble();
        var (p50, p99) = (s.GetProperty("pollP50Ms").GetDouble(), s.GetProperty("pollP99Ms").GetDouble());
        var errors = s.GetProperty("protocolErrors").GetInt64();
        log.WriteLine(FormattableString.Invariant(
            $"  {polls:N0} polls measured: {perSecond:N0}/s   p50 {p50:0.0} ms   p99 {p99:0.0} ms   protocol errors {errors:N0}   app CPU {appCpu * 100:0} % of one core (2 cores, the load generator shares them)"));
        PrintErrors(log, s);
        context.Result("ddi_idle_devices", devices, "devices");
        context.Result("ddi_idle_polls_per_s", perSecond, "polls/s");
        context.Result("ddi_idle_poll_p50_ms", p50, "ms");
        context.Result("ddi_idle_poll_p99_ms", p99, "ms");
        context.Result("ddi_idle_protocol_errors", errors, "errors");
        return errors == 0 && simulator.ExitCode == 0;
    }

    private static async Task<bool> CampaignAsync(BenchmarkContext context, string simulatorDll, string vehiclesFile, long seriesModelId, int devices,
        int concurrency, double failureRate, CancellationToken ct)
    {
        var log = context.Out;
        var services = context.Services;
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        await services.GetRequiredService<DemoFiles>().StoreMissingAsync(ct);

        // Failures after the download only (UpgradeFailed ends the task-VIN; a download failure would wait for the compensation's resend).
        var (simulator, output) = BenchData.StartSimulator(simulatorDll, vehiclesFile, context.BaseUrl, MqttPort(context), ct,
            "--ddi", "--concurrency", Text(concurrency), "--until-input-ends", "--idle-seconds", "86400",
            "--failure-rate", failureRate.ToString(CultureInfo.InvariantCulture), "--failure-types", "UpgradeFailed:1", "--downloads", "real");
        using var _ = simulator;

        var t0 = Stopwatch.StartNew();
        log.WriteLine($"campaign: validating {devices:N0} DDI devices into a Normal task …");
        var progress = await services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
            {
                Task = new TaskSpec($"{TaskName} {devices:N0}", 0, DateTime.UtcNow.AddDays(1)),
                PublishWhenDone = true,
            }, Enumerable.Range(1, devices).Select(i => (string?)BenchData.VinOf(VinPrefix, i)).ToList(), ct);
        var validated = t0.Elapsed;
        if (progress.TaskId is not { } taskId)
        {
            log.WriteLine($"validation ended {progress.Status}: {string.Join(' ', progress.TaskCodes)} {progress.Error}");
            simulator.StandardInput.Close();
            return false;
        }
        log.WriteLine($"pushing {progress.Accepted:N0} task-VINs (DDI: marked notified, offered on the next poll); the devices poll, download and report …");
        await services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "bench", ct);
        var pushed = t0.Elapsed;

        var open = new HashSet<string>([nameof(TaskVinState.Pending), .. TaskVinLifecycle.InFlight.Select(st => st.ToString())]);
        var limit = TimeSpan.FromMinutes(20);
        Dictionary<string, long> states;
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            states = await StatesAsync(connections, taskId, ct);
            var left = states.Where(st => open.Contains(st.Key)).Sum(st => st.Value);
            if (left == 0 || t0.Elapsed > limit || simulator.HasExited) break;
            if (t0.Elapsed - lastPrint >= TimeSpan.FromSeconds(10))
            {
                lastPrint = t0.Elapsed;
                log.WriteLine(FormattableString.Invariant($"  {t0.Elapsed.TotalSeconds,5:0} s: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value:N0}"))}"));
            }
            await Task.Delay(500, ct);
        }
        var settled = t0.Elapsed;
        simulator.StandardInput.Close();
        await simulator.WaitForExitAsync(ct);
        var s = Summary(await output);
        var errors = s.GetProperty("protocolErrors").GetInt64();
        var allSettled = states.Where(st => open.Contains(st.Key)).Sum(st => st.Value) == 0;

        log.WriteLine(FormattableString.Invariant(
            $"  validated {validated.TotalSeconds:0.0} s, pushed {(pushed - validated).TotalSeconds:0.0} s, every task-VIN {(allSettled ? "settled" : "NOT settled")} {(settled - pushed).TotalSeconds:0.0} s after the push ({settled.TotalSeconds:0.0} s in all)"));
        log.WriteLine($"  task-VINs by state: {string.Join(", ", states.Select(st => $"{st.Key} {st.Value:N0}"))}");
        log.WriteLine(FormattableString.Invariant(
            $"  devices: {s.GetProperty("polls").GetInt64():N0} polls, {s.GetProperty("descriptionsFetched").GetInt64():N0} deployments, {s.GetProperty("filesDownloaded").GetInt64():N0} files downloaded ({s.GetProperty("bytesDownloaded").GetInt64() / 1048576.0:N1} MiB, {s.GetProperty("filesPretended").GetInt64():N0} pretended), {s.GetProperty("eventRequests").GetInt64():N0} feedbacks, {s.GetProperty("successes").GetInt64():N0} succeeded, failures {s.GetProperty("failures")}, withdrawn {s.GetProperty("actionsWithdrawn").GetInt64():N0}"));
        log.WriteLine($"  protocol errors: {errors:N0}");
        PrintErrors(log, s);
        context.Result("ddi_campaign_devices", devices, "devices");
        context.Result("ddi_campaign_settled_seconds", (settled - pushed).TotalSeconds, "s");
        context.Result("ddi_campaign_total_seconds", settled.TotalSeconds, "s");
        context.Result("ddi_campaign_succeeded", states.GetValueOrDefault(nameof(TaskVinState.Succeeded)), "task-VINs");
        context.Result("ddi_campaign_failed", states.GetValueOrDefault(nameof(TaskVinState.Failed)), "task-VINs");
        context.Result("ddi_campaign_protocol_errors", errors, "errors");
        return allSettled && errors == 0 && simulator.ExitCode == 0;
    }

    /// <summary>
    /// The bench devices as devices that sent their attributes long ago: an idle poll offers nothing, not even
    /// <c>configData</c>, so the measured polls are the steady state and not a fleet's first contact (a round of writes).
    /// </summary>
    private static async Task AttributesSentAsync(IServiceProvider services, CancellationToken ct)
    {
        await using (var connection = await services.GetRequiredService<MySqlConnectionFactory>().OpenAsync(ct))
        await using (var command = new MySqlCommand(
            $"UPDATE ota_ddi_target SET config_data = '{{\"client\":\"ota-bench\"}}', config_data_at = UTC_TIMESTAMP() WHERE vin LIKE '{VinPrefix}%'",
            connection)
        { CommandTimeout = 0 })
            await command.ExecuteNonQueryAsync(ct);
        await services.GetRequiredService<DdiWork>().BumpAsync();
    }

    private static async Task<Dictionary<string, long>> StatesAsync(MySqlConnectionFactory connections, long taskId, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand("SELECT state, COUNT(*) FROM ota_task_vin WHERE task_id = @task GROUP BY state ORDER BY state", connection);
        command.Parameters.AddWithValue("@task", taskId);
        var states = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) states[reader.GetString(0)] = reader.GetInt64(1);
        return states;
    }

    private static JsonElement Summary(string output) =>
        JsonDocument.Parse(output.Split('\n').LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"The simulator ended without its JSON summary: {output}")).RootElement;

    private static void PrintErrors(TextWriter log, JsonElement summary)
    {
        foreach (var sample in summary.GetProperty("protocolErrorSamples").EnumerateArray().Take(5)) log.WriteLine($"    {sample.GetString()}");
    }

    private static int MqttPort(BenchmarkContext context) => context.Services.GetRequiredService<EmbeddedMqttBroker>().Port;

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The bench devices' DDI rows, then their vehicles, tasks and everything they caused.</summary>
    private static async Task RemoveBenchDataAsync(MySqlConnectionFactory connections, TextWriter log, CancellationToken ct)
    {
        await using (var connection = await connections.OpenAsync(ct))
        await using (var command = new MySqlCommand($"DELETE FROM ota_ddi_target WHERE vin LIKE '{VinPrefix}%'", connection) { CommandTimeout = 0 })
            await command.ExecuteNonQueryAsync(ct);
        var removed = await BenchData.RemoveAsync(connections, VinPrefix, ct, TaskName);
        if (removed > 0) log.WriteLine($"removed {removed:N0} rows of bench data");
    }
}
