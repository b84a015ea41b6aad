using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Ota.Web.Hosting;

namespace Ota.Bench;

/// <summary>`./ota bench NAME [ARGS]`: starts what the benchmark needs (by default the whole app on a free port) and runs it.</summary>
public static class BenchmarkCommand
{
    private static readonly IBenchmark[] All =
    [
        new ValidateBenchmark(), new UploadBenchmark(), new UploadReadBenchmark(), new PushBenchmark(), new VehicleApiBenchmark(), new VehicleApiLoad(), new EndToEndBenchmark(), new SoakBenchmark(), new RolloutBenchmark(), new ConsoleBenchmark(), new DownloadBenchmark(), new FileUploadBenchmark(), new DdiBenchmark(), new VinPagesBenchmark(),
    ];

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var benchmark = args.Length > 0 ? All.FirstOrDefault(b => b.Name == args[0]) : null;
        if (benchmark is null)
        {
            Console.Error.WriteLine("usage: ./ota bench NAME [ARGS]; benchmarks:");
            foreach (var b in All.Where(b => !b.Name.StartsWith('_'))) Console.Error.WriteLine($"  {b.Name} {b.Usage}");
            return 2;
        }
        // vehicle-api compares the app with metrics off and on (SPEC §16): each in a process of its own, one after the other.
        if (benchmark is VehicleApiBenchmark && !args.Contains(MetricsFlag)) return await MetricsOffAndOnAsync(args, ct);
        // push measures the embedded broker, then Mosquitto when ./ota started one (SPEC §15): the same, in two processes.
        if (benchmark is PushBenchmark && !args.Contains(PushBenchmark.BrokerFlag) && PushBenchmark.MosquittoPort is not null)
            return await PushBenchmark.EmbeddedThenMosquittoAsync(args, ct);
        var metrics = args.ToList().IndexOf(MetricsFlag) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        // The app hosted here is Ota.Web, not this program: under that name it finds the static-asset manifests that
        // came with Ota.Web into this output folder (Ota.Web.staticwebassets.*.json), as the web app and the tests do.
        string[] appArgs = metrics is null
            ? ["--applicationName", typeof(OtaApp).Assembly.GetName().Name!]
            : ["--applicationName", typeof(OtaApp).Assembly.GetName().Name!, $"--Telemetry:Metrics={metrics == "on"}"];
        var app = OtaApp.Build(appArgs, builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls(Environment.GetEnvironmentVariable("OTA_BENCH_URL") ?? "http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(benchmark.AppSettings(args[1..]));
        });
        if (benchmark.NeedsRunningApp) await app.StartAsync(ct);
        try
        {
            var url = benchmark.NeedsRunningApp
                ? app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
                : "";
            return await benchmark.RunAsync(new BenchmarkContext(app.Services, url, args[1..], Console.Out), ct);
        }
        finally
        {
            if (benchmark.NeedsRunningApp) await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary><c>--metrics on|off</c>: the app with its metrics exported (and scraped) or not.</summary>
    public const string MetricsFlag = "--metrics";

    /// <summary>
    /// Runs the benchmark of <paramref name="args"/> twice, each in a fresh process hosting a fresh app: metrics off, then
    /// on; prints both runs as they go, then their RESULT lines side by side (suffixed _metrics_off and _metrics_on).
    /// </summary>
    private static async Task<int> MetricsOffAndOnAsync(string[] args, CancellationToken ct)
    {
        var (exit, results) = await RunEachAsync(args, MetricsFlag, ["off", "on"], ct);
        var names = results.Select(r => r.Name).Distinct().ToList();
        Console.WriteLine();
        Console.WriteLine($"{"result",-48} {"metrics off",16} {"metrics on",16}");
        foreach (var name in names) Console.WriteLine($"{name,-48} {Value("off", name),16} {Value("on", name),16}");
        Console.WriteLine();
        foreach (var name in names)
            foreach (var (mode, _, value) in results.Where(r => r.Name == name))
                Console.WriteLine($"RESULT {name}_metrics_{mode}={value}");
        return exit;

        string Value(string mode, string name) => results.FirstOrDefault(r => r.Mode == mode && r.Name == name).Value ?? "-";
    }

    /// <summary>
    /// Runs the benchmark of <paramref name="args"/> once for each of <paramref name="modes"/>, each in a fresh process
    /// hosting a fresh app with <c><paramref name="flag"/> MODE</c> added, printing each run as it goes; gives back every
    /// RESULT line with the mode it came from, and the worst exit code.
    /// </summary>
    public static async Task<(int Exit, List<(string Mode, string Name, string Value)> Results)> RunEachAsync(
        string[] args, string flag, string[] modes, CancellationToken ct)
    {
        var results = new List<(string Mode, string Name, string Value)>();
        var exit = 0;
        foreach (var mode in modes)
        {
            Console.WriteLine($"== {flag.TrimStart('-')} {mode} ==");
            exit = Math.Max(exit, await RunSelfAsync([.. args, flag, mode], (name, value) => results.Add((mode, name, value)), ct));
        }
        return (exit, results);
    }

    /// <summary>
    /// Runs this program again with <paramref name="args"/>, printing what it prints and handing each of its RESULT lines
    /// (name, value with unit) to <paramref name="onResult"/>; returns its exit code.
    /// </summary>
    public static async Task<int> RunSelfAsync(string[] args, Action<string, string> onResult, CancellationToken ct)
    {
        var start = Self(args);
        start.RedirectStandardOutput = true;
        using var run = Process.Start(start) ?? throw new InvalidOperationException("the benchmark did not start");
        while (await run.StandardOutput.ReadLineAsync(ct) is { } line)
        {
            Console.WriteLine(line);
            if (line.StartsWith("RESULT ", StringComparison.Ordinal) && line[7..].Split('=', 2) is [var name, var value]) onResult(name, value);
        }
        await run.WaitForExitAsync(ct);
        return run.ExitCode;
    }

    /// <summary>
    /// This program again, as a fresh process running the benchmark <c>NAME [ARGS]</c> of <paramref name="args"/>: through
    /// its apphost when it was started that way, else as <c>dotnet Ota.Bench.dll</c> (how ./ota starts it).
    /// </summary>
    public static ProcessStartInfo Self(IEnumerable<string> args)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(BenchmarkCommand).Assembly.Location;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) != Path.GetFileNameWithoutExtension(dll)) start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Peak resident memory of this process so far, in MiB.</summary>
    public static double PeakMemoryMiB()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64 / 1024.0 / 1024.0;
    }
}
