using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Platform.Files;

namespace Ota.Bench;

/// <summary>
/// `./ota bench downloads [--vehicles N] [--mib M] [--rounds R]`: N vehicles download the same M-MiB package file at once
/// over loopback through the product's links (the app as a process of its own), and then the same N fetch the same file
/// from nginx (OS package, sendfile on) serving it from the same disk; R rounds of each, alternating. Prints the aggregate
/// throughput of each, the ratio, and the app's memory before and at its peak (SPEC §13, issue 18's targets: ≥ 0.8 ×
/// nginx, memory within 64 MiB of idle).
/// </summary>
internal sealed class DownloadBenchmark : IBenchmark
{
    public string Name => "downloads";
    public string Usage => "[--vehicles N (200)] [--mib M (100)] [--rounds R (2)]";
    public bool NeedsRunningApp => false;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var vehicles = context.IntArg("--vehicles", 200);
        var mib = context.IntArg("--mib", 100);
        var rounds = context.IntArg("--rounds", 2);
        var services = context.Services;
        var log = context.Out;

        var (source, size, sha256) = await BenchFiles.FileAsync(services, mib, log, ct);
        var key = $"BENCH-DOWNLOAD-{mib}MiB";
        await BenchFiles.CataloguedAsync(services, key, $"bench-{mib}MiB.bin", size, sha256, ct);
        var uploads = services.GetRequiredService<PackageFileUploads>();
        if (!(await uploads.AllAsync(ct)).TryGetValue(key, out var stored) || stored.Sha256 != sha256)
        {
            await using var content = File.OpenRead(source);
            stored = (await uploads.UploadAsync(key, content, size, Path.GetFileName(source), "bench", ct)).File;
        }
        var store = services.GetRequiredService<IFileStore>();
        var path = store.LocalPath(stored.StorageKey)
                   ?? throw new InvalidOperationException("The downloads benchmark compares the FileSystem store with nginx; Files:Provider is not FileSystem.");

        var appUrl = $"http://127.0.0.1:{BenchFiles.FreePort()}";
        using var app = await BenchFiles.StartAppAsync(appUrl, log, ct);
        var nginx = await Nginx.StartAsync(Path.GetDirectoryName(path)!, BenchFiles.Folder(services), log, ct);
        try
        {
            var links = services.GetRequiredService<FileLinks>();
            var expires = DateTimeOffset.UtcNow.AddHours(1);
            var appLinks = Enumerable.Range(1, vehicles)
                .Select(i => appUrl + FileLinks.PathOf(links.Token(stored.Id, $"LBENCHDL{i:D9}", expires))).ToList();
            var nginxLinks = Enumerable.Range(1, vehicles).Select(_ => $"{nginx.Url}/{Path.GetFileName(path)}").ToList();

            // Warm both (and the page cache) with one fetch each.
            await FetchAllAsync(appLinks.Take(1).ToList(), size, ct);
            await FetchAllAsync(nginxLinks.Take(1).ToList(), size, ct);
            await Task.Delay(1000, ct);
            var idle = BenchFiles.ResidentMiB(app.Id);
            log.WriteLine($"app idle: {idle:0} MiB resident; {vehicles} vehicles × {mib} MiB, {rounds} rounds each");

            var appRates = new List<double>();
            var nginxRates = new List<double>();
            double peak = 0;
            for (var round = 1; round <= rounds; round++)
            {
                var nginxRate = await FetchAllAsync(nginxLinks, size, ct);
                nginxRates.Add(nginxRate);
                await using var watch = new BenchFiles.MemoryWatch(app.Id);
                var appRate = await FetchAllAsync(appLinks, size, ct);
                peak = Math.Max(peak, await watch.StopAsync());
                appRates.Add(appRate);
                log.WriteLine(FormattableString.Invariant($"round {round}: nginx {nginxRate:0} MB/s, app {appRate:0} MB/s ({appRate / nginxRate:0.00} ×)"));
            }
            var appBest = appRates.Max();
            var nginxBest = nginxRates.Max();
            log.WriteLine(FormattableString.Invariant($"best: app {appBest:0} MB/s, nginx {nginxBest:0} MB/s; app memory {idle:0} MiB idle, {peak:0} MiB at its peak (+{peak - idle:0})"));
            context.Result("download_app_mb_per_s", appBest, "MB/s");
            context.Result("download_nginx_mb_per_s", nginxBest, "MB/s");
            context.Result("download_app_vs_nginx", appBest / nginxBest, "x");
            context.Result("download_app_peak_rss_mib", peak, "MiB");
            context.Result("download_app_rss_growth_mib", peak - idle, "MiB");
            return 0;
        }
        finally
        {
            nginx.Stop();
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Fetches every URL at once, reading and discarding the bodies; the aggregate rate in MB/s (10^6 bytes).</summary>
    private static async Task<double> FetchAllAsync(IReadOnlyList<string> urls, long size, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = urls.Count, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(10),
        };
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(urls.Select(async url =>
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
            long total = 0;
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0) total += read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return total;
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (counts.Any(c => c != size)) throw new InvalidOperationException($"A download was cut short: {counts.Min():N0} of {size:N0} bytes.");
        return counts.Sum() / 1e6 / seconds;
    }

    /// <summary>nginx from the OS packages, serving one folder on a loopback port with sendfile, as a child process.</summary>
    private sealed class Nginx(Process process, string url)
    {
        public string Url { get; } = url;

        public static async Task<Nginx> StartAsync(string root, string work, TextWriter log, CancellationToken ct)
        {
            var binary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
                         ?? throw new FileNotFoundException("nginx is not installed (./ota bench downloads installs it from the OS packages).");
            var prefix = Path.Combine(work, "nginx");
            Directory.CreateDirectory(Path.Combine(prefix, "logs"));
            var port = BenchFiles.FreePort();
            var conf = Path.Combine(prefix, "nginx.conf");
            await File.WriteAllTextAsync(conf, string.Create(CultureInfo.InvariantCulture, $$"""
                user root;
                worker_processes auto;
                daemon off;
                pid {{prefix}}/nginx.pid;
                error_log {{prefix}}/logs/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    keepalive_requests 10000;
                    types { application/octet-stream bin; }
                    client_body_temp_path {{prefix}}/client_body;
                    proxy_temp_path {{prefix}}/proxy;
                    fastcgi_temp_path {{prefix}}/fastcgi;
                    uwsgi_temp_path {{prefix}}/uwsgi;
                    scgi_temp_path {{prefix}}/scgi;
                    server {
                        listen 127.0.0.1:{{port}};
                        root {{root}};
                        location / { }
                    }
                }
                """), ct);
            var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var arg in new[] { "-c", conf, "-p", prefix }) start.ArgumentList.Add(arg);
            var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
            var url = $"http://127.0.0.1:{port}";
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            for (var i = 0; ; i++)
            {
                if (process.HasExited) throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync(ct)}");
                try
                {
                    await http.GetAsync(url + "/", ct);
                    break;
                }
                catch (HttpRequestException) when (i < 100)
                {
                    await Task.Delay(100, ct);
                }
            }
            log.WriteLine($"nginx: pid {process.Id} on {url}, serving {root}");
            return new Nginx(process, url);
        }

        public void Stop()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }
}
