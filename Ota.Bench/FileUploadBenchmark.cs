using System.Diagnostics;
using System.Net.Http.Headers;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Bench;

/// <summary>
/// `./ota bench file-upload [--mib M]`: an M-MiB file (default 2,048) PUT through the open API
/// (<c>/ota/open/api/ecu-packages/{key}/file</c>) to the app running as a process of its own, over loopback: the upload's
/// rate (from the first byte sent to the answer, so hashing, the fsync and the keep are in it) and the app's memory
/// before and at its peak (issue 18's targets: ≥ 200 MB/s to the FileSystem store, memory flat).
/// </summary>
internal sealed class FileUploadBenchmark : IBenchmark
{
    public string Name => "file-upload";
    public string Usage => "[--mib M (2048)] [--hash-only: the staging step alone, without HTTP]";
    public bool NeedsRunningApp => false;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var mib = context.IntArg("--mib", 2048);
        var services = context.Services;
        var log = context.Out;
        var (source, size, sha256) = await BenchFiles.FileAsync(services, mib, log, ct);
        var key = $"BENCH-UPLOAD-{mib}MiB";
        await BenchFiles.CataloguedAsync(services, key, $"bench-upload-{mib}MiB.bin", size, sha256, ct);
        if (context.Args.Contains("--hash-only"))
        {
            // The staging step alone (read, three digests, write, fsync), without HTTP: where an upload's time goes.
            var target = Path.Combine(BenchFiles.Folder(services), "hash-only.part");
            File.Delete(target);
            await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var t0 = Stopwatch.GetTimestamp();
            var digests = await Ota.Infrastructure.Platform.Files.HashingCopy.ToFileAsync(input, target, long.MaxValue, ct);
            var staged = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            File.Delete(target);
            if (digests.Sha256 != sha256) throw new InvalidOperationException("The staged digest differs.");
            log.WriteLine(FormattableString.Invariant($"staging alone: {size / 1e6 / staged:0} MB/s ({staged:0.0} s)"));
            context.Result("file_stage_mb_per_s", size / 1e6 / staged, "MB/s");
            return 0;
        }
        var (_, apiKey) = await services.GetRequiredService<ApiKeyStore>().CreateAsync($"bench-file-upload-{Guid.NewGuid():N}"[..40]);

        var url = $"http://127.0.0.1:{BenchFiles.FreePort()}";
        using var app = await BenchFiles.StartAppAsync(url, log, ct);
        try
        {
            await Task.Delay(1000, ct);
            var idle = BenchFiles.ResidentMiB(app.Id);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
            await using var watch = new BenchFiles.MemoryWatch(app.Id);
            await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var content = new StreamContent(file, 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = size;
            var started = Stopwatch.GetTimestamp();
            using var response = await http.PutAsync($"{url}/ota/open/api/ecu-packages/{key}/file", content, ct);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var peak = await watch.StopAsync();
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The upload answered {(int)response.StatusCode}: {body}");
            if (!body.Contains(sha256, StringComparison.Ordinal)) throw new InvalidOperationException($"The upload's answer does not give the file's SHA-256: {body}");
            var rate = size / 1e6 / seconds;
            log.WriteLine(FormattableString.Invariant($"{mib:N0} MiB uploaded in {seconds:0.0} s: {rate:0} MB/s; app memory {idle:0} MiB idle, {peak:0} MiB at its peak (+{peak - idle:0})"));
            context.Result("file_upload_mb_per_s", rate, "MB/s");
            context.Result("file_upload_app_peak_rss_mib", peak, "MiB");
            context.Result("file_upload_app_rss_growth_mib", peak - idle, "MiB");
            return 0;
        }
        finally
        {
            if (!app.HasExited) app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync(CancellationToken.None);
        }
    }
}
