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
        new ValidateBenchmark(), new UploadBenchmark(), new UploadReadBenchmark(), new PushBenchmark(), new VehicleApiBenchmark(), new VehicleApiLoad(), new EndToEndBenchmark(), new SoakBenchmark(), new RolloutBenchmark(), new ConsoleBenchmark(), new DownloadBenchmark(), new FileUploadBenchmark(), new DdiBenchmark(),
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
        // The app hosted here is Ota.Web, not this program: under that name it finds the static-asset manifests that
        // came with Ota.Web into this output folder (Ota.Web.staticwebassets.*.json), as the web app and the tests do.
        var app = OtaApp.Build(["--applicationName", typeof(OtaApp).Assembly.GetName().Name!], builder =>
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
