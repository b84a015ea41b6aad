using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Bench;

/// <summary>
/// The load generator of `./ota bench vehicle-api`, run in its own process: C callers in a loop for S seconds, each call
/// signed for one of the bench vehicles in turn. Prints one line `FIGURES {json}` for the parent; with a window length
/// (the soak benchmark), also one line `WINDOWS {json}` with the figures of each window of that many seconds. With a
/// warm-up, the calls of its first seconds (this fresh process compiling its code, the connections opening) are made but
/// not counted; the S seconds measured follow it, and the line <see cref="MeasuringLine"/> marks their start for the parent.
/// <para>
/// With a rate, the calls are paced instead (open loop): call k is due k/rate seconds after the start whatever became of
/// the earlier ones, as vehicles ask whether or not the server is keeping up, and its latency counts from when it was
/// due, so a server falling behind shows as latency rather than as fewer calls (no coordinated omission). C is then the
/// number of connections the calls share.
/// </para>
/// </summary>
internal sealed class VehicleApiLoad : IBenchmark
{
    public const string BenchName = "_vehicle-api-load";

    /// <summary>Printed (and flushed) when the measured seconds begin.</summary>
    public const string MeasuringLine = "MEASURING";

    /// <summary><paramref name="WarmupOk"/>: the calls of the warm-up that were answered 200 (not in the other figures).</summary>
    public sealed record Figures(long Requests, long Errors, double Seconds, double PerSecond, double P50, double P99, string? FirstError,
        long WarmupOk = 0);

    /// <summary>The calls that started in one window: <paramref name="Index"/> counts windows from the start of the load.</summary>
    public sealed record Window(int Index, long Requests, long Errors, double PerSecond, double P50, double P99, double Max);

    private readonly record struct Call(float StartedAt, float Milliseconds, bool Ok);

    public string Name => BenchName;
    public string Usage => "URL package-info|events VEHICLES.csv SECONDS CONCURRENCY [WINDOW-SECONDS] [WARMUP-SECONDS] [CALLS-PER-SECOND]";
    public bool NeedsRunningApp => false;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var (url, mode, file) = (context.Args[0].TrimEnd('/'), context.Args[1], context.Args[2]);
        var seconds = int.Parse(context.Args[3], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(context.Args[4], CultureInfo.InvariantCulture);
        var window = context.Args.Count > 5 ? int.Parse(context.Args[5], CultureInfo.InvariantCulture) : 0;
        var warmup = TimeSpan.FromSeconds(context.Args.Count > 6 ? int.Parse(context.Args[6], CultureInfo.InvariantCulture) : 0);
        var rate = context.Args.Count > 7 ? int.Parse(context.Args[7], CultureInfo.InvariantCulture) : 0;
        var vehicles = File.ReadAllLines(file).Select(l => l.Split(',')).Select(p => (Vin: p[0], Secret: p[1])).ToArray();
        var path = mode == "events" ? "/api/vehicle/v1/events" : "/api/vehicle/v1/package-info";

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, UseProxy = false })
        {
            BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30),
        };
        // The load generator that ran just before may have had these vehicles ask in this very second; the same signed
        // request again would be refused as a replay. Its seconds are over once the next one begins.
        await Task.Delay(TimeSpan.FromMilliseconds(1001 - DateTimeOffset.UtcNow.Millisecond), ct);
        var next = -1L;
        var errors = 0L;
        string? firstError = null;
        var calls = new List<Call>[concurrency];
        var clock = Stopwatch.StartNew();
        var end = warmup + TimeSpan.FromSeconds(seconds);
        var warmupOk = 0L;

        // A package-info body repeats, so one vehicle asking twice within a second would send the same signed request,
        // which the server refuses as a replay (SPEC §10): such a vehicle waits its turn and the next one asks instead.
        var lastSecond = new long[vehicles.Length];

        // One call for vehicle number i, due at the given time: false when that vehicle has already asked this second.
        async Task<bool> CallAsync(long i, TimeSpan due, List<Call> mine)
        {
            var (vin, secret) = vehicles[i % vehicles.Length];
            var second = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (mode != "events" && Interlocked.Exchange(ref lastSecond[i % vehicles.Length], second) == second) return false;
            var body = Encoding.UTF8.GetBytes(mode == "events" ? EventsBody(vin, i) : PackageInfoBody(vin));
            var timestamp = second.ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(VehicleSignature.VinHeader, vin);
            request.Headers.Add(VehicleSignature.TimestampHeader, timestamp);
            request.Headers.Add(VehicleSignature.SignatureHeader, VehicleSignature.Compute(secret, timestamp, body));
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var ok = response.StatusCode == HttpStatusCode.OK;
            // An error is an error, warm-up or not.
            if (!ok)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {text}", null);
            }
            if (due < warmup)
            {
                if (ok) Interlocked.Increment(ref warmupOk);
                return true;
            }
            var call = new Call((float)(due - warmup).TotalSeconds, (float)(clock.Elapsed - due).TotalMilliseconds, ok);
            lock (mine) mine.Add(call);
            return true;
        }

        async Task Caller(int n)
        {
            var mine = calls[n] = new List<Call>(Math.Min(seconds, 60) * 2000);
            var passed = 0;
            while (clock.Elapsed < end)
            {
                if (await CallAsync(Interlocked.Increment(ref next), clock.Elapsed, mine))
                    passed = 0;
                else if (++passed >= vehicles.Length)
                    await Task.Delay(1000 - DateTimeOffset.UtcNow.Millisecond, ct);
            }
        }

        async Task Paced()
        {
            var mine = calls[0] = new List<Call>(seconds * rate);
            for (var n = 1; n < calls.Length; n++) calls[n] = [];
            var inFlight = new List<Task>();
            for (long k = 0; ; k++)
            {
                var due = TimeSpan.FromSeconds(k / (double)rate);
                if (due >= end) break;
                while (clock.Elapsed < due) await Task.Delay(1, ct);
                inFlight.Add(PacedCallAsync(due));
            }
            await Task.WhenAll(inFlight);

            async Task PacedCallAsync(TimeSpan due)
            {
                // A vehicle that asked this second already leaves the call to the next one.
                for (var tries = 0; tries < vehicles.Length; tries++)
                    if (await CallAsync(Interlocked.Increment(ref next), due, mine)) return;
            }
        }

        async Task MarkMeasuring()
        {
            await Task.Delay(warmup, ct);
            await context.Out.WriteLineAsync(MeasuringLine);
            await context.Out.FlushAsync(ct);
        }

        var load = rate > 0 ? [Task.Run(Paced, ct)] : Enumerable.Range(0, concurrency).Select(n => Task.Run(() => Caller(n), ct));
        await Task.WhenAll(load.Append(MarkMeasuring()));
        var elapsed = (clock.Elapsed - warmup).TotalSeconds;
        var all = calls.SelectMany(l => l).ToArray();
        var latencies = all.Select(c => (double)c.Milliseconds).Order().ToArray();
        var figures = new Figures(all.Length, errors, elapsed, all.Length / elapsed, Percentile(latencies, 0.50),
            Percentile(latencies, 0.99), firstError, warmupOk);
        if (window > 0)
        {
            var windows = all.GroupBy(c => (int)(c.StartedAt / window)).OrderBy(g => g.Key).Select(g =>
            {
                var sorted = g.Select(c => (double)c.Milliseconds).Order().ToArray();
                return new Window(g.Key, sorted.Length, g.LongCount(c => !c.Ok), sorted.Length / (double)window,
                    Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted[^1]);
            }).ToList();
            context.Out.WriteLine("WINDOWS " + JsonSerializer.Serialize(windows));
        }
        context.Out.WriteLine("FIGURES " + JsonSerializer.Serialize(figures));
        return 0;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string PackageInfoBody(string vin) =>
        $$"""{"vin":"{{vin}}","currentVersion":"3.1.4","targetVersion":"3.1.5"}""";

    private static string EventsBody(string vin, long n)
    {
        var at = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var events = new StringBuilder();
        for (var k = 0; k < 10; k++)
        {
            if (k > 0) events.Append(',');
            var id = Guid.NewGuid();
            events.Append(k switch
            {
                < 7 => $$"""{"eventId":"{{id}}","type":"DownloadProgress","occurredAt":"{{at}}","packageId":1,"ecuCode":"CDC","bytesDownloaded":{{k * 1000}},"totalBytes":10000}""",
                < 9 => $$"""{"eventId":"{{id}}","type":"UpgradeProgress","occurredAt":"{{at}}","ecuCode":"BMS","step":"flash","percent":{{k * 10}}}""",
                _ => $$"""{"eventId":"{{id}}","type":"UpgradeStatus","occurredAt":"{{at}}","state":"Downloading","triggerType":"User"}""",
            });
        }
        return $$"""{"vin":"{{vin}}","events":[{{events}}]}""";
    }
}
