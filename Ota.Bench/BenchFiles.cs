using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Platform;

namespace Ota.Bench;

/// <summary>
/// What the file benchmarks share: a generated file of N MiB under .data/bench (made once), an ECU package in the
/// catalog that expects exactly it, and the app as a process of its own, so its memory is the server's alone.
/// </summary>
internal static class BenchFiles
{
    public static string Folder(IServiceProvider services) =>
        Path.Combine(services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench", "files");

    /// <summary>An N-MiB file of random bytes (written once, kept) and its SHA-256.</summary>
    public static async Task<(string Path, long Size, string Sha256)> FileAsync(IServiceProvider services, int mib, TextWriter log, CancellationToken ct)
    {
        var folder = Folder(services);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"bench-{mib}MiB.bin");
        var size = (long)mib << 20;
        if (!File.Exists(path) || new FileInfo(path).Length != size)
        {
            log.WriteLine($"writing {path} ({mib:N0} MiB of random bytes) …");
            var block = new byte[1 << 20];
            await using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                for (var i = 0; i < mib; i++)
                {
                    RandomNumberGenerator.Fill(block);
                    await file.WriteAsync(block, ct);
                }
            }
            File.Move(path + ".tmp", path, overwrite: true);
        }
        await using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
        return (path, size, sha);
    }

    /// <summary>Upserts ECU package <paramref name="key"/> (of ECU CDC) expecting a file of this size and SHA-256.</summary>
    public static async Task CataloguedAsync(IServiceProvider services, string key, string fileName, long size, string sha256, CancellationToken ct)
    {
        // A version no demo package has: 99.0.<size in MiB>.
        var version = $"99.0.{size >> 20}";
        var json = $$"""
            {"ecuPackages": [{"key": "{{key}}", "ecu": "CDC", "version": "{{version}}", "fromVersion": null, "kind": "Ecu",
              "fileName": "{{fileName}}", "fileSize": {{size.ToString(CultureInfo.InvariantCulture)}}, "sha256": "{{sha256}}",
              "url": "https://ota-cdn.example.com/bench/{{fileName}}"}]}
            """;
        var report = await services.GetRequiredService<CatalogImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), ct);
        if (!report.Succeeded) throw new InvalidOperationException("The bench package does not import: " + string.Join("; ", report.Problems));
    }

    /// <summary>The app (Ota.Web.dll serve) on a free port, with the run profile's settings from the environment.</summary>
    public static async Task<Process> StartAppAsync(string url, TextWriter log, CancellationToken ct)
    {
        var dll = Environment.GetEnvironmentVariable("OTA_APP_DLL")
                  ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Ota.Web", "bin", "Release", "net10.0", "Ota.Web.dll"));
        if (!File.Exists(dll)) throw new FileNotFoundException("The app is not built (./ota bench builds it).", dll);
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Mqtt__Port"] = FreePort().ToString(CultureInfo.InvariantCulture);
        start.Environment["Ota__InstanceName"] = "bench-files";
        // The benchmark's vehicles each fetch once; a resumed or retried fetch is not what is measured.
        start.Environment["RateLimits__FileLinkPerSecond"] = "1000";
        start.Environment["RateLimits__ApiKeyPerSecond"] = "1000";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync(url + "/health", ct)).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Listening but not answering yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The app did not become healthy within a minute.");
            await Task.Delay(250, ct);
        }
        log.WriteLine($"app: pid {process.Id} on {url}");
        return process;
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Resident memory of a process now, in MiB (VmRSS).</summary>
    public static double ResidentMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024.0;

    private static long StatusKiB(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Samples a process's resident memory every 50 ms until stopped; the peak seen.</summary>
    public sealed class MemoryWatch : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private double _peak;

        public MemoryWatch(int pid)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    _peak = Math.Max(_peak, ResidentMiB(pid));
                    try
                    {
                        await Task.Delay(50, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            });
        }

        public async Task<double> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return _peak;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested) await StopAsync();
            _stop.Dispose();
        }
    }
}
