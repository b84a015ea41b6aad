using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench push --vins N`: a published N-VIN task pushed by this app instance as an operator's "push now" would:
/// the push run and its worker jobs on Hangfire, chunks claimed, re-validated against current data, sent through the
/// in-process broker, recorded in ota_vehicle_download_notice and marked notified. A subscriber counts what the broker
/// delivers. Timed from "push now" until every notice has arrived and the task is executed. When ./ota started a
/// Mosquitto for it (deploy/mosquitto), the same push is then measured through that broker, the app and the subscriber
/// authenticated by certificates from the vehicle CA, and its figures are printed beside the embedded broker's.
/// </summary>
internal sealed class PushBenchmark : IBenchmark
{
    /// <summary><c>--broker embedded|mosquitto</c>: one of the two runs.</summary>
    public const string BrokerFlag = "--broker";

    private const string VinPrefix = "LBNCH";
    private const string TaskName = "bench push";

    public string Name => "push";
    public string Usage => "--vins N   (default 100000; adds N bench vehicles, VINs LBNCH…, to the database when missing); through the embedded " +
                           "broker, then the Mosquitto ./ota starts (--broker embedded|mosquitto for one of them)";
    public bool NeedsRunningApp => true;

    /// <summary>The port of the Mosquitto `./ota bench push` started (OTA_BENCH_MOSQUITTO_PORT); null when there is none.</summary>
    public static int? MosquittoPort =>
        int.TryParse(Environment.GetEnvironmentVariable("OTA_BENCH_MOSQUITTO_PORT"), CultureInfo.InvariantCulture, out var port) ? port : null;

    private static bool ThroughMosquitto(IReadOnlyList<string> args) => args.SkipWhile(a => a != BrokerFlag).Skip(1).FirstOrDefault() == "mosquitto";

    public IReadOnlyDictionary<string, string?> AppSettings(IReadOnlyList<string> args) => !ThroughMosquitto(args)
        ? new Dictionary<string, string?>()
        : new Dictionary<string, string?>
        {
            ["Mqtt:Embedded"] = "false",
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = (MosquittoPort ?? throw new InvalidOperationException("--broker mosquitto needs the Mosquitto ./ota bench push starts"))
                .ToString(CultureInfo.InvariantCulture),
            ["Mqtt:UseTls"] = "true",
            ["Mqtt:UseVehicleCa"] = "true",
        };

    /// <summary>The benchmark through the embedded broker, then through Mosquitto, each in a process of its own; both sets of figures side by side.</summary>
    public static async Task<int> EmbeddedThenMosquittoAsync(string[] args, CancellationToken ct)
    {
        var (exit, results) = await BenchmarkCommand.RunEachAsync(args, BrokerFlag, ["embedded", "mosquitto"], ct);
        Console.WriteLine();
        Console.WriteLine($"{"push",-24} {"embedded",16} {"Mosquitto",16}");
        foreach (var figure in new[] { "seconds", "notices_per_s", "peak_memory" })
            Console.WriteLine($"{figure,-24} {Value("embedded", $"push_{figure}"),16} {Value("mosquitto", $"push_mosquitto_{figure}"),16}");
        Console.WriteLine();
        foreach (var (_, name, value) in results) Console.WriteLine($"RESULT {name}={value}");
        return exit;

        string Value(string broker, string name) => results.FirstOrDefault(r => r.Mode == broker && r.Name == name).Value ?? "-";
    }

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var n = context.IntArg("--vins", 100_000);
        var services = context.Services;
        var log = context.Out;
        var contexts = services.GetRequiredService<IDbContextFactory<OtaDbContext>>();
        var setup = Stopwatch.StartNew();
        var seriesModelId = await EnsureFleetAsync(services, contexts, n, log, ct);
        await RemoveEarlierRunsAsync(contexts, log, ct);

        // Scheduled for tomorrow, so the recurring run leaves it alone until "push now" starts the clock.
        log.WriteLine($"creating a published task of {n:N0} VINs (validated as the console would) …");
        var vins = new List<string?>(n);
        for (var i = 1; i <= n; i++) vins.Add(VinOf(i));
        var progress = await services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
            {
                Task = new TaskSpec($"{TaskName} {n:N0}", 0, DateTime.UtcNow.AddDays(1)),
                PublishWhenDone = true,
            }, vins, ct);
        vins = null;
        if (progress.Status != ValidationRunStatus.Completed || progress.TaskId is not { } taskId)
        {
            log.WriteLine($"could not create the task: {progress.Status} {string.Join(' ', progress.TaskCodes)} {progress.Error}");
            return 1;
        }
        var expected = progress.Accepted;
        // Validation purges its staged VINs in a job of its own; let it finish so it is not timed with the push.
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            while (await db.ValidationVins.AnyAsync(v => v.RunId == progress.RunId, ct)) await Task.Delay(250, ct);
        }
        log.WriteLine($"task {taskId}: {expected:N0} task-VINs pending (setup {setup.Elapsed.TotalSeconds:0.0} s)");

        var mosquitto = ThroughMosquitto(context.Args);
        await using var subscriber = await MqttNoticeSubscriber.ConnectAsync(await SubscriberAsync(services, mosquitto, ct), ct);
        var push = services.GetRequiredService<IOptions<PushOptions>>().Value;
        var mqtt = services.GetRequiredService<IOptions<MqttOptions>>().Value;
        log.WriteLine($"pushing: {push.Workers} workers, chunks of {push.ChunkSize:N0}, MQTT batches of {mqtt.BatchSize:N0} ({mqtt.MaxInFlight:N0} in flight), " +
                      $"{Environment.ProcessorCount} cores …");

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var mariaDbCpuBefore = ServerCpu("mysqld.pid", null);
        var mosquittoCpuBefore = ServerCpu("mosquitto.pid", null);
        var clock = Stopwatch.StartNew();
        await services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "bench", ct);
        var lastPrint = TimeSpan.Zero;
        var executed = false;
        while (!(executed && subscriber.Count >= expected))
        {
            await Task.Delay(100, ct);
            if (clock.Elapsed - lastPrint > TimeSpan.FromSeconds(2) || subscriber.Count >= expected)
            {
                executed = await IsExecutedAsync(contexts, taskId, ct);
                if (clock.Elapsed - lastPrint > TimeSpan.FromSeconds(2))
                {
                    log.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0.0} s  {subscriber.Count,10:N0} / {expected:N0} notices received");
                    lastPrint = clock.Elapsed;
                }
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(15))
            {
                log.WriteLine($"gave up after {clock.Elapsed.TotalMinutes:0} minutes: {subscriber.Count:N0} of {expected:N0} received, task executed: {executed}");
                return 1;
            }
        }
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;

        long notices, notified;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            notices = await db.DownloadNotices.LongCountAsync(x => x.TaskId == taskId, ct);
            notified = await db.TaskVins.LongCountAsync(x => x.TaskId == taskId && x.State == TaskVinState.Notified, ct);
        }
        var peak = BenchmarkCommand.PeakMemoryMiB();
        var rate = expected / elapsed.TotalSeconds;
        log.WriteLine();
        log.WriteLine($"notices              {expected,12:N0}   (claimed, re-validated, sent, received, recorded)");
        log.WriteLine($"received             {subscriber.Count,12:N0}   (malformed: {subscriber.MalformedCount})");
        log.WriteLine($"recorded             {notices,12:N0}   notice rows; {notified:N0} task-VINs notified");
        log.WriteLine($"pushed in            {elapsed.TotalSeconds,12:0.00} s   ({rate:N0} notices/s)");
        log.WriteLine($"app CPU              {cpu.TotalSeconds,12:0.0} s   (this process: web, jobs, broker, subscriber; MariaDB apart)");
        log.WriteLine($"MariaDB CPU          {ServerCpu("mysqld.pid", mariaDbCpuBefore),12:0.0} s   (the server process, when it runs on this machine)");
        if (mosquitto) log.WriteLine($"Mosquitto CPU        {ServerCpu("mosquitto.pid", mosquittoCpuBefore),12:0.0} s   (the broker process, TLS on both sides)");
        log.WriteLine($"app peak memory      {peak,12:0} MiB");
        var statistics = services.GetRequiredService<PushStatistics>();
        log.WriteLine($"chunks               {statistics.Chunks,12:N0}   time in each phase, summed over the workers:");
        foreach (var (phase, time) in statistics.Phases)
            log.WriteLine($"  {phase,-18} {time.TotalSeconds,12:0.0} s");
        log.WriteLine();
        var prefix = mosquitto ? "push_mosquitto" : "push";
        context.Result($"{prefix}_notices_per_s", rate, "notices/s");
        context.Result($"{prefix}_seconds", elapsed.TotalSeconds, "s");
        context.Result($"{prefix}_peak_memory", peak, "MiB");

        await RemoveEarlierRunsAsync(contexts, TextWriter.Null, ct);
        return notices == expected && notified == expected && subscriber.Count == expected ? 0 : 1;
    }

    /// <summary>
    /// The subscriber counting what arrives, as the product's monitor: on the embedded broker with its password; on Mosquitto with its
    /// certificate (CN=ota-monitor, which the ACL lets read every vehicle's notices), trusting the broker by the vehicle CA.
    /// </summary>
    private static async Task<MqttNoticeSubscriberOptions> SubscriberAsync(IServiceProvider services, bool mosquitto, CancellationToken ct)
    {
        if (!mosquitto)
            return new MqttNoticeSubscriberOptions
            {
                Host = "127.0.0.1", Port = services.GetRequiredService<EmbeddedMqttBroker>().Port, MaxRetained = 0, ClientIdPrefix = "ota-bench-push",
                Username = BrokerCredentials.MonitorUser, Password = services.GetRequiredService<BrokerCredentials>().MonitorPassword,
            };
        var ca = services.GetRequiredService<VehicleCertificateAuthority>();
        return new MqttNoticeSubscriberOptions
        {
            Host = "127.0.0.1",
            Port = MosquittoPort!.Value,
            UseTls = true,
            ClientCertificate = (await ca.IssueMonitorAsync(TimeSpan.FromDays(1), ct)).Load(),
            TrustedCertificates = [await ca.CertificateAsync(ct)],
            MaxRetained = 0,
            ClientIdPrefix = "ota-bench-push",
        };
    }

    /// <summary>
    /// CPU seconds of a server of the run profile (found by its pid file under the data folder's run/) since
    /// <paramref name="since"/>; NaN where that cannot be read (another machine, not Linux, not started by ./ota).
    /// </summary>
    private static double ServerCpu(string pidFileName, double? since)
    {
        try
        {
            var pidFile = Path.Combine(Environment.GetEnvironmentVariable("Ota__DataFolder") ?? ".data", "run", pidFileName);
            var stat = File.ReadAllText($"/proc/{File.ReadAllText(pidFile).Trim()}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var seconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            return seconds - (since ?? 0);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    private static string VinOf(int i) => VinPrefix + i.ToString("D12", CultureInfo.InvariantCulture);

    private static async Task<bool> IsExecutedAsync(IDbContextFactory<OtaDbContext> contexts, long taskId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Tasks.AnyAsync(t => t.Id == taskId && t.Status == UpgradeTaskStatus.Executed, ct);
    }

    /// <summary>The demo catalog and N customer vehicles that a Normal S1-M1 task to 3.1.5 accepts.</summary>
    private static async Task<long> EnsureFleetAsync(IServiceProvider services, IDbContextFactory<OtaDbContext> contexts, int n, TextWriter log,
        CancellationToken ct)
    {
        await using (var catalog = DemoWorld.OpenCatalog())
        {
            var report = await services.GetRequiredService<CatalogImporter>().ImportAsync(catalog, ct);
            if (!report.Succeeded) throw new InvalidOperationException(string.Join("; ", report.Problems.Take(3)));
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var seriesModel = await db.SeriesModels.SingleAsync(s => s.Code == "S1-M1", ct);
        var have = await db.Vehicles.CountAsync(v => v.Vin.StartsWith(VinPrefix), ct);
        if (have < n)
        {
            log.WriteLine($"adding {n - have:N0} bench vehicles ({VinPrefix}…) …");
            await services.GetRequiredService<VehicleWriter>().UpsertAsync(Enumerable.Range(1, n).Select(i => new VehicleRow(
                VinOf(i), seriesModel.Id, seriesModel.Platform, LifecycleStatus.Delivered, VehicleUsage.Production, Sold: true,
                Activated: true, PassengerCar: true, FirmwareVersion: "3.1.4", ConfigWord: null, Secret: null)), ct);
        }
        return seriesModel.Id;
    }

    /// <summary>Deletes the tasks of earlier runs with their task-VINs and notices, so runs do not add up.</summary>
    private static async Task RemoveEarlierRunsAsync(IDbContextFactory<OtaDbContext> contexts, TextWriter log, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = await db.Tasks.Where(t => t.Name.StartsWith(TaskName) && t.CreatedBy == "bench").Select(t => t.Id).ToListAsync(ct);
        if (ids.Count == 0) return;
        log.WriteLine($"removing {ids.Count} task(s) of earlier runs …");
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.DownloadNotices.Where(x => ids.Contains(x.TaskId)).ExecuteDeleteAsync(ct);
        await db.Tasks.Where(t => ids.Contains(t.Id)).ExecuteDeleteAsync(ct);
    }
}
