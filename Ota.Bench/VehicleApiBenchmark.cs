using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Bench;

/// <summary>
/// `./ota bench vehicle-api`: signed package-info and event-report calls over HTTP against this app instance, from a
/// load generator in a second process (<see cref="VehicleApiLoad"/>), each endpoint as fast as its callers get answers
/// (the most it serves) and then paced at its target rate (the latency at that rate), with many vehicles of their own
/// (VINs LBNCH…, removed again with everything they caused, so the demo world is left as it was).
/// </summary>
internal sealed class VehicleApiBenchmark : IBenchmark
{
    public const string VinPrefix = "LBNCH";

    // Seconds of calls before each endpoint's measured ones, not counted: the load generator is a fresh process that
    // compiles its code and opens its connections, and the app's code for the endpoint reaches its optimised tier. The
    // JIT is busy for about 15 s of package-info calls in a fresh app on this 2-core machine (dotnet-counters: 2.7 s of
    // JIT time in the 5 s after a 5-s warm-up, 3,600 methods): the figures are of the serving app, so the default warm-up
    // outlasts it, and the methods still compiled during the measured seconds are printed.
    private const int DefaultWarmup = 20;

    public string Name => "vehicle-api";
    public string Usage => "--vehicles N (6000) --seconds S (15) --concurrency C (16) --warmup S (20) --paced-package-info CALLS/S (2000) --paced-events REPORTS/S (500)";
    public bool NeedsRunningApp => true;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        // A vehicle asks for its package at most once a second (a second identical signed request is a replay, SPEC §10),
        // so the vehicles cap the load generator at that many package-info calls a second: 2,000 vehicles capped it at
        // the very target. 6,000 leave room to measure beyond it.
        var vehicles = context.IntArg("--vehicles", 6000);
        var seconds = context.IntArg("--seconds", 15);
        var concurrency = context.IntArg("--concurrency", 16);
        var warmup = context.IntArg("--warmup", DefaultWarmup);
        var packageInfoRate = context.IntArg("--paced-package-info", 2000);
        var eventReportRate = context.IntArg("--paced-events", 500);
        var services = context.Services;
        var folder = Path.Combine(services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench");
        Directory.CreateDirectory(folder);
        var vinsFile = Path.Combine(folder, "vehicle-api-vehicles.csv");

        await using (var db = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync(ct))
            if (!await db.SeriesModels.AnyAsync(s => s.Code == "S1-M1", ct))
                await services.GetRequiredService<DemoWorld>().LoadAsync(2000, ifMissing: true, context.Out, ct);
        await RemoveBenchDataAsync(services, ct); // what an interrupted earlier run may have left
        await AddVehiclesAsync(services, vehicles, vinsFile, ct);
        context.Out.WriteLine($"{vehicles:N0} bench vehicles (S1-M1, firmware 3.1.4, each with its own secret); app at {context.BaseUrl}");
        // With metrics on, /metrics is scraped every 15 s as Prometheus would, so its cost is in the figures too.
        using var scraping = new CancellationTokenSource();
        var scraper = context.Args.SkipWhile(a => a != BenchmarkCommand.MetricsFlag).Skip(1).FirstOrDefault() == "on"
            ? ScrapeAsync(context, scraping.Token)
            : Task.FromResult(0);
        try
        {
            // Each endpoint twice: as fast as C callers get answers (the most it serves), then paced at the target rate in an
            // open loop (the latency a fleet asking at that rate sees). The first run warms the app up: paced at its target
            // while the JIT is still busy, a cold app falls behind, and an open loop keeps the backlog (seen: p50 1.8 s).
            // The paced run starts once the follow-ups of the first are decided, and has a short warm-up (the load
            // generator is a fresh process).
            context.Out.WriteLine($"package-info: {warmup} s warm-up, then {seconds} s measured, {concurrency} concurrent callers (OTA1 3.1.4 → 3.1.5: delta, encrypted, snapshot stored) …");
            var (packages, _, packagesApp) = await LoadInWindowsAsync(context, "package-info", vinsFile, seconds, concurrency, 0, ct, warmup);
            Report(context, "package-info", packages, packagesApp);
            var packagesPaced = await PacedAsync(context, "package-info", vinsFile, seconds, packageInfoRate, ct);

            context.Out.WriteLine($"events: {warmup} s warm-up, then {seconds} s measured, {concurrency} concurrent callers, 10 events per report (7 download progress, 2 upgrade progress, 1 status) …");
            var receipts = await ReceiptsAsync(services, ct);
            var (events, _, eventsApp) = await LoadInWindowsAsync(context, "events", vinsFile, seconds, concurrency, 0, ct, warmup);
            Report(context, "events", events, eventsApp);
            var stored = await StoredSinceAsync(context, receipts, events, ct);
            await FollowUpsDecidedAsync(services, ct);
            receipts = await ReceiptsAsync(services, ct);
            var pacedFrom = DateTime.UtcNow;
            var eventsPaced = await PacedAsync(context, "events", vinsFile, seconds, eventReportRate, ct);
            var storedPaced = await StoredSinceAsync(context, receipts, eventsPaced, ct);

            var drain = Stopwatch.StartNew();
            var backlog = await FollowUpsDecidedAsync(services, ct);
            // The follow-ups of the paced run's status reports (the run as fast as callers get answers is far above the
            // target rate by design, and its follow-ups were left to drain before the paced run started).
            var lag = await BenchData.FollowUpLagAsync(services.GetRequiredService<MySqlConnectionFactory>(), VinPrefix, ct, pacedFrom);

            context.Out.WriteLine();
            context.Out.WriteLine($"package-info   most      {Line(packages)}");
            context.Out.WriteLine($"package-info   paced     {Line(packagesPaced)}");
            context.Out.WriteLine($"events         most      {Line(events)}   {stored / events.Seconds:N0} events/s stored");
            context.Out.WriteLine($"events         paced     {Line(eventsPaced)}   {storedPaced / eventsPaced.Seconds:N0} events/s stored");
            context.Out.WriteLine($"app CPU        package-info {CpuPerCall(packagesApp, packages)}; events {CpuPerCall(eventsApp, events)}");
            context.Out.WriteLine($"follow-ups     {(backlog == 0 ? $"all decided and published {drain.Elapsed.TotalSeconds:0.0} s after the load ended" : $"{backlog:N0} still pending after {drain.Elapsed.TotalSeconds:0} s")}");
            context.Out.WriteLine(FormattableString.Invariant(
                $"follow-up lag  paced: {lag.Reports:N0} status reports, receipt to last action done p50 {lag.P50.TotalSeconds:0.00} s, p99 {lag.P99.TotalSeconds:0.00} s, max {lag.Max.TotalSeconds:0.00} s; {lag.Histogram()}"));
            context.Out.WriteLine($"app peak memory {BenchmarkCommand.PeakMemoryMiB(),9:0} MiB");
            context.Out.WriteLine();
            context.Result("vehicle_package_info_rps", packages.PerSecond, "req/s");
            context.Result("vehicle_package_info_p50_ms", packages.P50, "ms");
            context.Result("vehicle_package_info_p99_ms", packages.P99, "ms");
            context.Result("vehicle_package_info_paced_rps", packagesPaced.PerSecond, "req/s");
            context.Result("vehicle_package_info_paced_p50_ms", packagesPaced.P50, "ms");
            context.Result("vehicle_package_info_paced_p99_ms", packagesPaced.P99, "ms");
            context.Result("vehicle_events_stored_per_s", stored / events.Seconds, "events/s");
            context.Result("vehicle_events_rps", events.PerSecond, "req/s");
            context.Result("vehicle_events_p50_ms", events.P50, "ms");
            context.Result("vehicle_events_p99_ms", events.P99, "ms");
            context.Result("vehicle_events_paced_stored_per_s", storedPaced / eventsPaced.Seconds, "events/s");
            context.Result("vehicle_events_paced_p50_ms", eventsPaced.P50, "ms");
            context.Result("vehicle_events_paced_p99_ms", eventsPaced.P99, "ms");
            context.Result("vehicle_events_paced_followup_lag_p50_seconds", lag.P50.TotalSeconds, "s");
            context.Result("vehicle_events_paced_followup_lag_p99_seconds", lag.P99.TotalSeconds, "s");
            return new[] { packages, packagesPaced, events, eventsPaced }.All(f => f.Errors == 0)
                   && stored == events.Requests * 10 && storedPaced == eventsPaced.Requests * 10 ? 0 : 1;
        }
        finally
        {
            await scraping.CancelAsync();
            var scrapes = await scraper;
            if (scrapes > 0) context.Out.WriteLine($"/metrics scraped {scrapes} times during the run");
            await RemoveBenchDataAsync(services, CancellationToken.None);
            File.Delete(vinsFile);
        }
    }

    /// <summary>Scrapes /metrics every 15 s until cancelled; returns how many scrapes answered.</summary>
    private static async Task<int> ScrapeAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(context.BaseUrl.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1")) };
        var scrapes = 0;
        while (!ct.IsCancellationRequested)
        {
            await http.GetStringAsync("/metrics", CancellationToken.None);
            scrapes++;
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(15), ct));
        }
        return scrapes;
    }

    // The connections the paced calls share.
    private const int PacedConnections = 64;

    // The warm-up of the paced run: a fresh load-generator process, a warm app.
    private const int PacedWarmup = 5;

    /// <summary>Waits (up to 2 minutes) until no follow-up is pending; returns how many still are.</summary>
    private static async Task<long> FollowUpsDecidedAsync(IServiceProvider services, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long backlog;
        while ((backlog = await CountAsync(services, "ota_follow_up", ct, $"state = {Sql.Text(FollowUpState.Pending)}")) > 0 && clock.Elapsed < TimeSpan.FromSeconds(120))
            await Task.Delay(250, ct);
        return backlog;
    }

    private static async Task<VehicleApiLoad.Figures> PacedAsync(BenchmarkContext context, string mode, string vinsFile, int seconds,
        int rate, CancellationToken ct)
    {
        context.Out.WriteLine($"{mode}: paced at {rate:N0} calls/s (open loop, latency from when each call was due), {PacedWarmup} s warm-up, then {seconds} s measured …");
        var (figures, windows, _) = await LoadInWindowsAsync(context, mode, vinsFile, seconds, PacedConnections, 1, ct, PacedWarmup, rate);
        Report(context, mode, figures, null);
        // Whether the tail is spread over the run or a few slow seconds (a stall of the host or of MariaDB).
        if (windows.Count > 0 && windows.MaxBy(w => w.P99) is { } worst)
            context.Out.WriteLine(FormattableString.Invariant(
                $"    by second: p99 {windows.Min(w => w.P99):0.0}–{worst.P99:0.0} ms (worst: second {worst.Index + 1}, max {worst.Max:0.0} ms); {windows.Count(w => w.P99 > 50)} of {windows.Count} seconds above 50 ms"));
        return figures;
    }

    private static Task<long> ReceiptsAsync(IServiceProvider services, CancellationToken ct) =>
        CountAsync(services, "ota_vehicle_event_receipt", ct);

    /// <summary>The events an events load stored in its measured seconds (its warm-up's are stored too), printed.</summary>
    private static async Task<long> StoredSinceAsync(BenchmarkContext context, long receiptsBefore, VehicleApiLoad.Figures figures,
        CancellationToken ct)
    {
        var stored = await ReceiptsAsync(context.Services, ct) - receiptsBefore - figures.WarmupOk * 10;
        context.Out.WriteLine($"  events stored {stored,10:N0}    {stored / figures.Seconds,8:N0} events/s");
        return stored;
    }

    private static void Report(BenchmarkContext context, string mode, VehicleApiLoad.Figures figures, AppCost? app)
    {
        context.Out.WriteLine($"  {mode}: {Line(figures)}{(app is null ? "" : $"   app CPU {CpuPerCall(app, figures)}")}");
        if (figures.FirstError is { } first) context.Out.WriteLine($"    first error: {(first.Length > 300 ? first[..300] + "…" : first)}");
    }

    private static string Line(VehicleApiLoad.Figures f) => FormattableString.Invariant(
        $"{f.Requests,8:N0} calls {f.PerSecond,7:N0}/s   p50 {f.P50,6:0.0} ms   p99 {f.P99,6:0.0} ms   errors {f.Errors:N0}");

    private static string CpuPerCall(AppCost app, VehicleApiLoad.Figures figures) => FormattableString.Invariant(
        $"{app.Cpu.TotalMilliseconds / Math.Max(1, figures.Requests * app.Seconds / figures.Seconds):0.00} ms per call ({app.JitMethods:N0} methods compiled meanwhile)");

    /// <summary>
    /// What the app process itself spent while the load generator measured: its CPU time (all its threads, the jobs and
    /// broker included) and how many methods the JIT compiled meanwhile, read when the load generator's measured seconds
    /// began and ended.
    /// </summary>
    internal sealed record AppCost(TimeSpan Cpu, long JitMethods, double Seconds);

    /// <summary>Runs the load generator in a second process; with <paramref name="window"/> &gt; 0 it also gives the figures per window of that many seconds.</summary>
    internal static async Task<(VehicleApiLoad.Figures Figures, IReadOnlyList<VehicleApiLoad.Window> Windows, AppCost App)> LoadInWindowsAsync(
        BenchmarkContext context, string mode, string vinsFile, int seconds, int concurrency, int window, CancellationToken ct,
        int warmup = 0, int rate = 0)
    {
        var start = BenchmarkCommand.Self([VehicleApiLoad.BenchName, context.BaseUrl, mode, vinsFile, seconds.ToString(CultureInfo.InvariantCulture),
            concurrency.ToString(CultureInfo.InvariantCulture), window.ToString(CultureInfo.InvariantCulture),
            warmup.ToString(CultureInfo.InvariantCulture), rate.ToString(CultureInfo.InvariantCulture)]);
        start.RedirectStandardOutput = true;
        using var app = Process.GetCurrentProcess();
        using var child = Process.Start(start)!;
        var output = new StringBuilder();
        (TimeSpan Cpu, long JitMethods, long At)? measuring = null;
        while (await child.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            if (line == VehicleApiLoad.MeasuringLine) measuring = Sample();
            output.AppendLine(line);
        }
        var ended = Sample();
        await child.WaitForExitAsync(ct);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        var figures = lines.LastOrDefault(l => l.StartsWith("FIGURES ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The load generator ended ({child.ExitCode}) without figures: {output}");
        var windows = lines.LastOrDefault(l => l.StartsWith("WINDOWS ", StringComparison.Ordinal));
        var from = measuring ?? throw new InvalidOperationException($"The load generator never said when its measured seconds began: {output}");
        return (JsonSerializer.Deserialize<VehicleApiLoad.Figures>(figures["FIGURES ".Length..])!,
            windows is null ? [] : JsonSerializer.Deserialize<List<VehicleApiLoad.Window>>(windows["WINDOWS ".Length..])!,
            new AppCost(ended.Cpu - from.Cpu, ended.JitMethods - from.JitMethods, Stopwatch.GetElapsedTime(from.At, ended.At).TotalSeconds));

        (TimeSpan Cpu, long JitMethods, long At) Sample()
        {
            app.Refresh();
            return (app.TotalProcessorTime, JitInfo.GetCompiledMethodCount(), Stopwatch.GetTimestamp());
        }
    }

    internal static async Task AddVehiclesAsync(IServiceProvider services, int count, string vinsFile, CancellationToken ct)
    {
        long seriesModelId;
        await using (var db = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync(ct))
            seriesModelId = await db.SeriesModels.Where(s => s.Code == "S1-M1").Select(s => s.Id).SingleAsync(ct);
        var rows = Enumerable.Range(1, count).Select(i => new VehicleRow(
            $"{VinPrefix}A{i.ToString("D11", CultureInfo.InvariantCulture)}", seriesModelId, "P1", LifecycleStatus.Delivered, VehicleUsage.Production,
            Sold: true, Activated: true, PassengerCar: true, "3.1.4", null, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))).ToList();
        await services.GetRequiredService<VehicleWriter>().UpsertAsync(rows, ct);
        await File.WriteAllLinesAsync(vinsFile, rows.Select(r => $"{r.Vin},{r.Secret}"), ct);
    }

    private static Task<long> CountAsync(IServiceProvider services, string table, CancellationToken ct, string? where = null) =>
        BenchData.CountAsync(services.GetRequiredService<MySqlConnectionFactory>(), table, VinPrefix, ct, where);

    /// <summary>Everything the bench vehicles caused, then the vehicles.</summary>
    internal static Task RemoveBenchDataAsync(IServiceProvider services, CancellationToken ct) =>
        BenchData.RemoveAsync(services.GetRequiredService<MySqlConnectionFactory>(), VinPrefix, ct);
}
