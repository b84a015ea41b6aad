using System.Diagnostics;
using System.Text.Json;

namespace Ota.Simulator;

/// <summary>
/// The fleet's DDI devices (the vehicles with a DDI token, <c>--ddi</c>): each polls the DDI API every
/// <c>config.polling.sleep</c> the server asks for (or <see cref="SimulatorOptions.PollInterval"/>), and works on what a
/// poll offers (<see cref="DdiDeviceBehaviour"/>). <see cref="SimulatorOptions.Concurrency"/> devices call at once, one
/// connection each: with an interval of 0 they poll round the fleet as fast as the server answers (the idle-poll load).
/// The first polls are spread over one interval, as devices switched on at different times. Runs for a set time, until
/// stopped, or, once devices have had work, until none had any for <see cref="SimulatorOptions.IdleAfter"/>.
/// </summary>
/// <param name="files">The client artifacts are downloaded with (no overall timeout); null: <paramref name="http"/>.</param>
public sealed class DdiFleetSimulation(SimulatorOptions options, IReadOnlyDictionary<string, SimulatedVehicle> fleet, HttpClient http, HttpClient? files = null)
{
    /// <summary>The spread of the first polls, and the pause after a failed poll, when the server's sleep is not known yet.</summary>
    private static readonly TimeSpan DefaultSpread = TimeSpan.FromSeconds(5);

    public SimulationSummary Summary { get; } = new() { RecordOutcomes = options.RecordOutcomes };

    public async Task<SimulationSummary> RunAsync(CancellationToken ct)
    {
        var devices = fleet.Values.Where(v => v.DdiToken is not null).ToArray();
        if (devices.Length == 0) throw new InvalidOperationException("No vehicle of the fleet has a DDI token (the vehicles file's ddiToken column).");
        var behaviour = new DdiDeviceBehaviour(new DdiClient(http, options.DdiTenant), new PackageDownloader(files ?? http, options, Summary), options, Summary);

        var clock = Stopwatch.StartNew();
        var due = new PriorityQueue<SimulatedVehicle, TimeSpan>(devices.Length);
        var spreadRandom = new Random(options.Seed);
        var spread = options.PollInterval ?? DefaultSpread;
        foreach (var device in devices) due.Enqueue(device, spread * spreadRandom.NextDouble());

        var busy = 0;
        var hadWork = false;
        var lastWork = clock.Elapsed;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        async Task WorkerAsync(int w)
        {
            var random = new Random(options.Seed + w + 1);
            while (!stop.IsCancellationRequested)
            {
                SimulatedVehicle? device;
                TimeSpan at;
                lock (due)
                {
                    if (!due.TryDequeue(out device, out at)) device = null;
                }
                if (device is null)
                {
                    // Every device is with another worker (as many devices as workers).
                    try
                    {
                        await Task.Delay(10, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    continue;
                }
                TimeSpan? sleep = null;
                try
                {
                    var wait = at - clock.Elapsed;
                    if (wait > TimeSpan.Zero) await Task.Delay(wait, stop.Token);
                    var poll = await behaviour.PollAsync(device, clock.Elapsed >= options.PollWarmup, stop.Token);
                    sleep = poll?.Sleep;
                    if (poll is { HasWork: true })
                    {
                        Interlocked.Increment(ref busy);
                        try
                        {
                            await behaviour.WorkAsync(device, poll, random, stop.Token);
                        }
                        finally
                        {
                            Volatile.Write(ref hadWork, true);
                            lock (due) lastWork = clock.Elapsed;
                            Interlocked.Decrement(ref busy);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException ex)
                {
                    Summary.ProtocolError($"{device.Vin}: the DDI API could not be reached: {ex.Message}");
                }
                catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
                {
                    Summary.ProtocolError($"{device.Vin}: an answer had an unexpected shape: {ex.Message}");
                }
                var next = options.PollInterval ?? sleep ?? DefaultSpread;
                lock (due) due.Enqueue(device, clock.Elapsed + next);
            }
        }

        var workers = Enumerable.Range(0, Math.Min(options.Concurrency, devices.Length)).Select(w => Task.Run(() => WorkerAsync(w), CancellationToken.None)).ToList();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (options.Duration is { } duration && clock.Elapsed >= duration) break;
                TimeSpan idle;
                lock (due) idle = clock.Elapsed - lastWork;
                if (Volatile.Read(ref hadWork) && Volatile.Read(ref busy) == 0 && idle >= options.IdleAfter) break;
                await Task.Delay(200, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped from outside (Ctrl+C, the input ended): the summary says what happened so far.
        }
        Summary.PollsMeasuredFor(clock.Elapsed - options.PollWarmup);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return Summary;
    }
}
