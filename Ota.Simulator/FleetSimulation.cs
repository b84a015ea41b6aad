using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Simulator;

/// <summary>
/// The fleet: listens for notices on the broker like the vehicles would, and lets a bounded number of vehicles work
/// at once. Runs for a set time, until stopped, or, once notices have come, until none came and no vehicle worked for
/// <see cref="SimulatorOptions.IdleAfter"/> (a fleet started before its campaign waits for it, however long). Every notice and every
/// description is checked against the product's published signing keys first (<see cref="SigningKeyRing"/>); one that
/// fails is refused: counted, logged, not acted on.
/// </summary>
/// <param name="files">The client package files are downloaded with (no base address, no overall timeout); null: <paramref name="http"/>.</param>
public sealed class FleetSimulation(SimulatorOptions options, IReadOnlyDictionary<string, SimulatedVehicle> fleet, HttpClient http, HttpClient? files = null)
{
    public SimulationSummary Summary { get; } = new() { RecordOutcomes = options.RecordOutcomes };

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the fleet is subscribed to its notices: what is pushed from then on reaches it.</summary>
    public Task Listening => _listening.Task;

    public async Task<SimulationSummary> RunAsync(CancellationToken ct)
    {
        var queue = Channel.CreateBounded<(SimulatedVehicle, NoticeMessage)>(new BoundedChannelOptions(options.Concurrency * 64)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        var lastActivity = Stopwatch.StartNew();
        var busy = 0;
        var hadNotices = false;
        var api = new VehicleApiClient(http);
        var keys = new SigningKeyRing(api, fleet.Values.FirstOrDefault());
        if (fleet.Count > 0 && await keys.RefreshAsync(ct) is { } keyProblem) Summary.ProtocolError($"the signing keys could not be fetched at start: {keyProblem}");
        await using var noticeLog = options.NoticeLog is { } path ? new NoticeLog(path) : null;
        MqttNoticeSubscriber subscriber;
        try
        {
            subscriber = await MqttNoticeSubscriber.ConnectAsync(new MqttNoticeSubscriberOptions
            {
                Host = options.MqttHost,
                Port = options.MqttPort,
                ClientIdPrefix = "ota-fleet-simulator",
                Username = options.MqttUsername ?? BrokerCredentials.MonitorUser,
                Password = options.MqttPassword ?? MonitorPasswordFromEnvironment(),
                MaxRetained = 0,
                OnNotice = async received =>
                {
                    lastActivity.Restart();
                    Volatile.Write(ref hadNotices, true);
                    if (received.Message is not { } notice)
                    {
                        Summary.ProtocolError($"{received.Topic}: a notice that is not valid JSON: {received.Json}");
                        return;
                    }
                    noticeLog?.Add(notice);
                    if (!fleet.TryGetValue(notice.Vin, out var vehicle))
                    {
                        Summary.ForeignNotice();
                        return;
                    }
                    // A vehicle acts only on what the product signed, for itself.
                    var refusal = NoticeTopics.VinOf(received.Topic) != notice.Vin
                        ? $"a notice for {notice.Vin} on the topic {received.Topic}"
                        : await keys.RefuseNoticeAsync(notice, ct);
                    if (refusal is not null)
                    {
                        Summary.ForgeryRefused($"{notice.Vin}: notice {notice.MessageId}: {refusal}");
                        return;
                    }
                    if (notice.IsCancel)
                    {
                        Summary.CancelNotice();
                        vehicle.CurrentUpgrade?.Cancel();
                        return;
                    }
                    Summary.Notice();
                    await queue.Writer.WriteAsync((vehicle, notice), ct);
                },
            }, ct);
        }
        catch (Exception e)
        {
            // Whoever waits for the fleet to listen learns why it never will.
            _listening.TrySetException(e);
            throw;
        }
        await using var subscription = subscriber;
        _listening.TrySetResult();

        var behaviour = new VehicleBehaviour(api, keys, new PackageDownloader(files ?? http, options, Summary), options, Summary);
        var workers = Enumerable.Range(0, options.Concurrency).Select(w => Task.Run(async () =>
        {
            var random = new Random(options.Seed + w);
            await foreach (var (vehicle, notice) in queue.Reader.ReadAllAsync(ct))
            {
                Interlocked.Increment(ref busy);
                try
                {
                    await behaviour.UpgradeAsync(vehicle, notice, random, ct);
                }
                catch (HttpRequestException ex)
                {
                    Summary.ProtocolError($"{vehicle.Vin}: the vehicle API could not be reached: {ex.Message}");
                }
                catch (JsonException ex)
                {
                    Summary.ProtocolError($"{vehicle.Vin}: an answer had an unexpected shape: {ex.Message}");
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException)
                {
                    Summary.ProtocolError($"{vehicle.Vin}: an answer had an unexpected shape: {ex.Message}");
                }
                finally
                {
                    Interlocked.Decrement(ref busy);
                    lastActivity.Restart();
                }
            }
        }, ct)).ToList();

        var started = Stopwatch.StartNew();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (options.Duration is { } duration && started.Elapsed >= duration) break;
                if (Volatile.Read(ref hadNotices) && Volatile.Read(ref busy) == 0 && queue.Reader.Count == 0 && lastActivity.Elapsed >= options.IdleAfter) break;
                await Task.Delay(200, ct);
            }
            queue.Writer.TryComplete();
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped from outside (Ctrl+C): the vehicles mid-upgrade stay where they were; the summary says what happened so far.
            queue.Writer.TryComplete();
        }
        return Summary;
    }
    private static string? MonitorPasswordFromEnvironment() =>
        Environment.GetEnvironmentVariable("OTA_MASTER_KEY") is { Length: > 0 } masterKey
            ? BrokerCredentials.FromMasterKey(masterKey).MonitorPassword
            : null;
}

/// <summary>Every notice received, one CSV line each with the time it arrived (Unix milliseconds), for comparison with the server's records.</summary>
internal sealed class NoticeLog : IAsyncDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _lock = new();

    public NoticeLog(string path)
    {
        _writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        _writer.WriteLine("receivedAtMs,kind,vin,taskId,messageId");
    }

    public void Add(NoticeMessage notice)
    {
        var line = FormattableString.Invariant($"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()},{notice.Kind ?? "upgrade"},{notice.Vin},{notice.TaskId},{notice.MessageId}");
        lock (_lock) _writer.WriteLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        // The subscriber is gone by now (disposed first), so nothing writes any more.
        await _writer.DisposeAsync();
    }
}
