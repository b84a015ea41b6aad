using System.Text;
using System.Text.Json;
using MQTTnet;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>A notice as received: its topic, raw JSON, and the parsed message (null when the JSON did not parse).</summary>
public sealed record ReceivedNotice(string Topic, string Json, NoticeMessage? Message);

/// <summary>
/// Listens to vehicle notices like a vehicle (or a whole fleet) would, and counts and keeps what arrives.
/// Used by tests, the notice benchmark and the fleet simulator.
/// </summary>
public sealed class MqttNoticeSubscriber : IAsyncDisposable
{
    private readonly MqttNoticeSubscriberOptions _options;
    private readonly IMqttClient _client;
    private readonly List<ReceivedNotice> _retained = [];
    private readonly List<(long Target, TaskCompletionSource Done)> _waiters = [];
    private long _count;
    private long _malformed;
    private long _lowestWaitTarget = long.MaxValue;

    private readonly string _clientId;

    private MqttNoticeSubscriber(MqttNoticeSubscriberOptions options)
    {
        _options = options;
        _clientId = MqttClientConfiguration.UniqueClientId(options.ClientIdPrefix);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Notices received so far, including malformed ones.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Received payloads that were not a well-formed notice.</summary>
    public long MalformedCount => Interlocked.Read(ref _malformed);

    public bool IsConnected => _client.IsConnected;

    /// <summary>The first <see cref="MqttNoticeSubscriberOptions.MaxRetained"/> notices, in arrival order.</summary>
    public IReadOnlyList<ReceivedNotice> Received
    {
        get
        {
            lock (_retained) return _retained.ToArray();
        }
    }

    public static async Task<MqttNoticeSubscriber> ConnectAsync(MqttNoticeSubscriberOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var subscriber = new MqttNoticeSubscriber(options);
        try
        {
            await subscriber.ConnectAndSubscribeAsync(cancellationToken).ConfigureAwait(false);
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Connects again after the broker went away, under the same client id: with <see cref="MqttNoticeSubscriberOptions.SessionExpiry"/>
    /// the broker hands over what it kept for the session. Counts and kept notices carry on.
    /// </summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_client.IsConnected) return;
        await ConnectAndSubscribeAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var clientOptions = MqttClientConfiguration.Build(
            _options.Host, _options.Port, _options.UseTls, _options.Username, _options.Password, _clientId, TimeSpan.FromSeconds(30),
            new BrokerTls(_options.ClientCertificate, _options.TrustedCertificates), _options.SessionExpiry);
        var connected = await _client.ConnectAsync(clientOptions, timeout.Token).ConfigureAwait(false);
        // A resumed session still holds its subscription (and the notices queued for it).
        if (connected.IsSessionPresent) return;
        var topic = _options.Topic ?? (_options.Vin is null ? NoticeTopics.AllVehicles : NoticeTopics.ForVin(_options.Vin));
        var subscribed = await _client.SubscribeAsync(topic, _options.QualityOfService, timeout.Token).ConfigureAwait(false);
        var code = subscribed.Items.Single().ResultCode;
        if ((int)code > (int)MqttClientSubscribeResultCode.GrantedQoS2)
            throw new InvalidOperationException($"The broker refused the subscription to {topic}: {code}.");
    }

    /// <summary>Completes once <paramref name="count"/> notices have arrived.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; the message says how many.</exception>
    public async Task WaitForCountAsync(long count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource done;
        lock (_waiters)
        {
            if (Count >= count) return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            Interlocked.Exchange(ref _lowestWaitTarget, Math.Min(Interlocked.Read(ref _lowestWaitTarget), count));
        }
        // The receive side increments the count and then reads the lowest target; re-reading the count after publishing
        // the target means at least one side sees the other, so no arrival is missed.
        if (Count >= count) ReleaseWaiters();

        try
        {
            await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Received {Count} of {count} notices within {timeout.TotalSeconds:0.#} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions()).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException)
            {
                // The broker is gone already; disposing releases the socket.
            }
        }
        _client.Dispose();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        var message = args.ApplicationMessage;
        var payload = message.Payload;
        NoticeMessage? notice = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            notice = JsonSerializer.Deserialize(ref reader, NoticeJsonContext.Default.NoticeMessage);
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref _malformed);
        }

        ReceivedNotice? received = null;
        var keep = false;
        if (_options.MaxRetained > 0)
        {
            lock (_retained) keep = _retained.Count < _options.MaxRetained;
        }
        if (keep || _options.OnNotice is not null)
        {
            received = new ReceivedNotice(message.Topic, Encoding.UTF8.GetString(payload), notice);
            if (keep)
            {
                lock (_retained)
                {
                    if (_retained.Count < _options.MaxRetained) _retained.Add(received);
                }
            }
        }

        var count = Interlocked.Increment(ref _count);
        if (count >= Interlocked.Read(ref _lowestWaitTarget)) ReleaseWaiters();

        if (_options.OnNotice is not null && received is not null) await _options.OnNotice(received).ConfigureAwait(false);
    }

    private void ReleaseWaiters()
    {
        lock (_waiters)
        {
            var count = Count;
            var lowest = long.MaxValue;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target <= count)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
                else
                {
                    lowest = Math.Min(lowest, _waiters[i].Target);
                }
            }
            Interlocked.Exchange(ref _lowestWaitTarget, lowest);
        }
    }
}
