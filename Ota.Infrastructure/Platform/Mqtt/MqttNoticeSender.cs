using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Ota.Domain;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// Publishes notices over one MQTT connection, many QoS 1 publishes in flight at once (at most <see cref="MqttOptions.MaxInFlight"/>,
/// and never more than the broker's receive maximum), so a slow broker slows the caller rather than growing memory.
/// The connection is opened on demand and replaced when the broker goes away.
/// </summary>
public sealed partial class MqttNoticeSender : INoticeSender, IAsyncDisposable
{
    private readonly MqttOptions _options;
    private readonly EmbeddedMqttBroker? _broker;
    private readonly ILogger<MqttNoticeSender> _logger;
    private readonly TimeProvider _clock;
    private readonly MqttClientFactory _factory = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly string _clientId;
    private readonly string? _username;
    private readonly string? _password;
    private NoticeConnection? _connection;
    private DateTimeOffset _retryConnectAt = DateTimeOffset.MinValue;
    private string _lastConnectError = "";
    private bool _disposed;
    private readonly OtaMetrics? _metrics;
    private readonly SigningKeys? _signingKeys;
    private readonly MqttClientIdentity _identity;

    /// <param name="broker">The embedded broker whose bound port to use when <see cref="MqttOptions.Embedded"/> is set.</param>
    /// <param name="credentials">The product's identities: with the embedded broker and no <see cref="MqttOptions.Username"/>, the sender is <see cref="BrokerCredentials.ServiceUser"/>.</param>
    /// <param name="signingKeys">Signs every notice with the active key (SPEC §15); the app always passes them.</param>
    /// <param name="identity">The certificates of a TLS connection to an external broker; by default the options' files, if any.</param>
    public MqttNoticeSender(
        IOptions<MqttOptions> options, ILogger<MqttNoticeSender> logger, EmbeddedMqttBroker? broker = null, TimeProvider? clock = null,
        OtaMetrics? metrics = null, BrokerCredentials? credentials = null, SigningKeys? signingKeys = null, MqttClientIdentity? identity = null)
    {
        // The service identity's password is derived from the master key: an instance that uses another instance's
        // embedded broker names the user and leaves the password out.
        (_username, _password) = options.Value switch
        {
            { Embedded: true, Username: null } when credentials is not null => (BrokerCredentials.ServiceUser, credentials.ServicePassword),
            { Username: BrokerCredentials.ServiceUser, Password: null } when credentials is not null => (BrokerCredentials.ServiceUser, credentials.ServicePassword),
            _ => (options.Value.Username, options.Value.Password),
        };
        _metrics = metrics;
        _signingKeys = signingKeys;
        _identity = identity ?? new MqttClientIdentity(options);
        _options = options.Value;
        _logger = logger;
        _broker = broker;
        _clock = clock ?? TimeProvider.System;
        _clientId = MqttClientConfiguration.UniqueClientId(_options.ClientIdPrefix);
    }

    public bool IsConnected => _connection?.Client.IsConnected == true;

    public async Task<NoticeSendResult> SendAsync(IReadOnlyList<VehicleNotice> notices, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var batch = new NoticeBatch(notices, _clock);
        if (notices.Count == 0) return batch.ToResult();

        // One key for the whole batch: each notice is signed once, as it is published.
        ActiveSigningKey? key = null;
        if (_signingKeys is not null)
        {
            try
            {
                key = await _signingKeys.ActiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Nothing leaves unsigned: the notices stay pending for the next run.
                batch.FailFrom(0, e is OperationCanceledException && cancellationToken.IsCancellationRequested
                    ? batch.CancellationReason(_options.PublishTimeout)
                    : $"no signing key: {e.Message}");
                return Finish(notices, batch);
            }
        }

        // One token for the whole batch: cancelled by the caller, or by the stall watchdog when acknowledgements stop.
        using var batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using var watchdog = batch.StartWatchdog(_options.PublishTimeout, batchCancellation);
        var token = batchCancellation.Token;

        NoticeConnection? connection = null;
        var index = 0;
        try
        {
            for (; index < notices.Count; index++)
            {
                var notice = notices[index];
                // The VIN becomes a topic level: anything but a well-formed VIN could address other topics.
                if (Vin.Normalize(notice.Vin) != notice.Vin)
                {
                    batch.Fail(index, ReasonCodes.VinMalformed);
                    continue;
                }

                if (connection is null || !connection.Client.IsConnected)
                {
                    (connection, var error) = await ConnectAsync(token).ConfigureAwait(false);
                    if (connection is null)
                    {
                        batch.FailFrom(index, error);
                        break;
                    }
                }

                await connection.Window.WaitAsync(token).ConfigureAwait(false);
                batch.Started();
                _ = PublishAsync(connection, index, notice, key, batch, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            batch.FailFrom(index, batch.CancellationReason(_options.PublishTimeout));
        }

        await batch.DrainedAsync().ConfigureAwait(false);
        if (batch.Stalled && connection is not null) await AbandonAsync(connection).ConfigureAwait(false);
        return Finish(notices, batch);
    }

    private NoticeSendResult Finish(IReadOnlyList<VehicleNotice> notices, NoticeBatch batch)
    {
        var result = batch.ToResult();
        if (result.AllSent) LogBatchSent(_logger, result.Total);
        else LogBatchFailures(_logger, result.Failures.Count, result.Total, result.Failures[0].Error);
        if (_metrics is not null) Count(notices, result, _metrics);
        return result;
    }

    private static void Count(IReadOnlyList<VehicleNotice> notices, NoticeSendResult result, OtaMetrics metrics)
    {
        foreach (var kind in notices.Select(n => n.Kind).Distinct())
        {
            int sent = 0, failed = 0;
            for (var i = 0; i < notices.Count; i++)
                if (notices[i].Kind == kind) _ = result.WasSent(i) ? sent++ : failed++;
            metrics.NoticesSent(sent, failed, kind == NoticeKind.Cancel ? "cancel" : "upgrade");
        }
    }

    /// <summary>Opens the connection if needed; returns null when connected, else why not. Used by the health check.</summary>
    public async Task<string?> TryConnectAsync(CancellationToken cancellationToken = default)
    {
        var (connection, error) = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        return connection is null ? error : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        var connection = _connection;
        _connection = null;
        if (connection is not null) await connection.CloseAsync().ConfigureAwait(false);
        _connectGate.Dispose();
    }

    private async Task PublishAsync(NoticeConnection connection, int index, VehicleNotice notice, ActiveSigningKey? key, NoticeBatch batch,
        CancellationToken token)
    {
        try
        {
            var message = new MqttApplicationMessage
            {
                Topic = notice.Topic,
                PayloadSegment = JsonSerializer.SerializeToUtf8Bytes(notice.ToMessage(key), NoticeJsonContext.Default.NoticeMessage),
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
                ContentType = "application/json",
            };
            var result = await connection.Client.PublishAsync(message, token).ConfigureAwait(false);
            // "No matching subscribers" still means the broker took the notice; the vehicle is simply offline.
            if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers))
                batch.Fail(index, $"the broker refused the notice: {result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
        catch (Exception e)
        {
            // Whatever went wrong, the notice must be reported unsent so its VIN stays pending.
            batch.Fail(index, e switch
            {
                // MQTTnet reports a cancelled wait for PUBACK as a communication timeout.
                OperationCanceledException or MqttCommunicationException when token.IsCancellationRequested =>
                    batch.CancellationReason(_options.PublishTimeout),
                MqttClientNotConnectedException => "not connected to the MQTT broker",
                MqttCommunicationException => $"connection to the MQTT broker lost: {e.Message}",
                ObjectDisposedException => "connection to the MQTT broker closed",
                _ => $"publishing failed: {e.Message}",
            });
        }
        finally
        {
            connection.Window.Release();
            batch.Completed();
        }
    }

    private async Task<(NoticeConnection? Connection, string Error)> ConnectAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        if (current is { Client.IsConnected: true }) return (current, "");

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = _connection;
            if (current is { Client.IsConnected: true }) return (current, "");
            if (_clock.GetUtcNow() < _retryConnectAt) return (null, _lastConnectError);

            if (current is not null)
            {
                _connection = null;
                await current.CloseAsync().ConfigureAwait(false);
            }

            var (host, port, error) = ResolveBroker();
            if (error is not null) return (null, Remember(error));

            BrokerTls? tls;
            try
            {
                tls = await _identity.ForConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Unreadable certificate files, or the vehicle CA out of reach: the sends fail like an unreachable broker's.
                var reason = $"cannot load the certificates for the MQTT broker {host}:{port}: {e.Message}";
                LogConnectFailed(_logger, host, port, reason);
                return (null, Remember(reason));
            }

            var client = _factory.CreateMqttClient();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.ConnectTimeout);
                var options = MqttClientConfiguration.Build(
                    host, port, _options.UseTls, _username, _password, _clientId, _options.KeepAlive, tls);
                var connected = await client.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    client.Dispose();
                    return (null, Remember($"the MQTT broker {host}:{port} refused the connection: {connected.ResultCode}"));
                }

                // Honour the broker's receive maximum: exceeding it is a protocol error that closes the connection.
                var window = Math.Min(_options.MaxInFlight, connected.ReceiveMaximum is > 0 ? connected.ReceiveMaximum.Value : int.MaxValue);
                var connection = new NoticeConnection(client, window);
                client.DisconnectedAsync += args =>
                {
                    if (args.ClientWasConnected) LogDisconnected(_logger, host, port, args.Reason.ToString());
                    return Task.CompletedTask;
                };
                _connection = connection;
                _retryConnectAt = DateTimeOffset.MinValue;
                LogConnected(_logger, host, port, _clientId, window);
                return (connection, "");
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or IOException
                                          or System.Net.Sockets.SocketException)
            {
                client.Dispose();
                // The caller gave up: said as a cancellation, whatever MQTTnet made of the connection it dropped (a
                // cancel during the CONNECT exchange surfaces as "Error while authenticating. Connection closed.").
                cancellationToken.ThrowIfCancellationRequested();
                var reason = e is OperationCanceledException
                    ? $"no answer from the MQTT broker {host}:{port} within {_options.ConnectTimeout.TotalSeconds:0.#} s"
                    : $"cannot reach the MQTT broker {host}:{port}: {(e.InnerException ?? e).Message}";
                LogConnectFailed(_logger, host, port, reason);
                return (null, Remember(reason));
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private string Remember(string error)
    {
        _lastConnectError = error;
        _retryConnectAt = _clock.GetUtcNow() + _options.ReconnectDelay;
        return error;
    }

    private (string Host, int Port, string? Error) ResolveBroker()
    {
        if (!_options.Embedded) return (_options.Host, _options.Port, null);
        var host = _broker?.LocalAddress ?? "127.0.0.1";
        return _broker is { IsRunning: true }
            ? (host, _broker.Port, null)
            : (host, _options.Port, "the embedded MQTT broker is not running");
    }

    private async Task AbandonAsync(NoticeConnection connection)
    {
        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_connection, connection)) _connection = null;
        }
        finally
        {
            _connectGate.Release();
        }
        await connection.CloseAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Host}:{Port} as {ClientId}, {Window} publishes in flight")]
    private static partial void LogConnected(ILogger logger, string host, int port, string clientId, int window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to MQTT broker {Host}:{Port}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected from MQTT broker {Host}:{Port} ({Reason})")]
    private static partial void LogDisconnected(ILogger logger, string host, int port, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Total} notices")]
    private static partial void LogBatchSent(ILogger logger, int total);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} of {Total} notices were not sent; the first error: {FirstError}")]
    private static partial void LogBatchFailures(ILogger logger, int failed, int total, string firstError);
}
