using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The in-process MQTT broker (MQTTnet server), started with the host when <see cref="MqttOptions.Embedded"/> is set: plain
/// MQTT on <see cref="MqttOptions.ListenAddress"/>, and MQTT over TLS beside it when a certificate is configured. Every
/// client authenticates and is held to <see cref="BrokerAccessPolicy"/>. It can be stopped and started again; a restart
/// binds the same ports.
/// </summary>
public sealed partial class EmbeddedMqttBroker : IHostedService, IAsyncDisposable
{
    private readonly MqttOptions _options;
    private readonly ILogger<EmbeddedMqttBroker> _logger;
    private readonly BrokerAccessPolicy _access;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MqttServer? _server;
    // One per started server: a stopped server's late disconnect events change its own ledger, not the next one's.
    private DeliveryLedger? _ledger;
    private int _disposed;

    public EmbeddedMqttBroker(IOptions<MqttOptions> options, BrokerAccessPolicy access, ILogger<EmbeddedMqttBroker> logger)
    {
        _options = options.Value;
        _access = access;
        _logger = logger;
    }

    public bool IsEnabled => _options.Embedded;

    public bool IsRunning => _server?.IsStarted == true;

    /// <summary>The port bound by the last start (the system's choice when configured as 0); 0 before the first start.</summary>
    public int Port { get; private set; }

    /// <summary>Where the product's own clients reach the plain listener: its address, or loopback when it listens on all.</summary>
    public string LocalAddress =>
        IPAddress.TryParse(_options.ListenAddress, out var address) && !address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any)
            ? _options.ListenAddress
            : "127.0.0.1";

    /// <summary>The MQTT-over-TLS port bound by the last start; 0 when there is no TLS listener.</summary>
    public int TlsPort { get; private set; }

    public int ConnectedClientCount => Volatile.Read(ref _ledger)?.ConnectedClients ?? 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Embedded)
        {
            LogNotEmbedded(_logger);
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRunning) return;
            var address = IPAddress.Parse(_options.ListenAddress);
            var adapter = new BrokerListener(address, Port != 0 ? Port : _options.Port, null, _logger);
            List<BrokerListener> listeners = [adapter];
            BrokerListener? tls = null;
            if (!string.IsNullOrEmpty(_options.TlsCertificate))
            {
                tls = new BrokerListener(IPAddress.Parse(_options.TlsListenAddress), TlsPort != 0 ? TlsPort : _options.TlsPort, LoadCertificate(), _logger);
                listeners.Add(tls);
            }
            var serverOptions = new MqttServerOptionsBuilder()
                .WithMaxPendingMessagesPerClient(_options.BrokerMaxPendingPerClient)
                .WithPersistentSessions(false)
                .Build();
            var server = new MqttServerFactory().CreateMqttServer(serverOptions, listeners, new MqttNetLogBridge(_logger));
            _access.Apply(server);
            _access.Stopping = false;
            var ledger = new DeliveryLedger();
            ledger.Attach(server);

            try
            {
                await server.StartAsync().ConfigureAwait(false);
            }
            catch
            {
                server.Dispose();
                throw;
            }

            _server = server;
            Volatile.Write(ref _ledger, ledger);
            Port = adapter.BoundPort;
            TlsPort = tls?.BoundPort ?? 0;
            LogStarted(_logger, _options.ListenAddress, Port);
            if (tls is not null) LogTlsStarted(_logger, _options.TlsListenAddress, TlsPort);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var server = _server;
            if (server is null) return;
            await DrainAsync(server, _ledger!).ConfigureAwait(false);
            _server = null;
            Volatile.Write(ref _ledger, null);
            await server.StopAsync().ConfigureAwait(false);
            server.Dispose();
            LogStopped(_logger, Port);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container may dispose this twice: as the singleton and as the hosted service it also is.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        // The gate is not disposed: the host may still call StopAsync after the container disposed this (a factory
        // disposed twice does), and a SemaphoreSlim whose wait handle was never asked for holds nothing to release.
    }

    /// <summary>
    /// Refuses new notices, closes the product's publishing connections (so that nothing more is acknowledged to them
    /// while a notice is on its way in), and waits (at most <see cref="MqttOptions.DrainTimeout"/>) until every notice
    /// the broker acknowledged has been queued, sent and acknowledged by its QoS 1 subscribers: an acknowledged notice
    /// counts as sent, so it must not die in a queue or in a vehicle's socket. What was refused or never acknowledged to
    /// the publisher stays pending and is sent again.
    /// </summary>
    private async Task DrainAsync(MqttServer server, DeliveryLedger ledger)
    {
        _access.Stopping = true;
        var deadline = DateTime.UtcNow + _options.DrainTimeout;
        foreach (var publisher in ledger.Publishers)
        {
            try
            {
                await server.DisconnectClientAsync(publisher, new MqttServerClientDisconnectOptions
                {
                    ReasonCode = MqttDisconnectReasonCode.ServerShuttingDown,
                }).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                // MQTTnet: "Client with ID '…' not found": it left by itself in the meantime, which is what was wanted.
                LogPublisherAlreadyGone(_logger, publisher, e.Message);
            }
        }

        while (true)
        {
            // In this order: once the publishers are gone nothing more is queued, and once nothing is queued nothing
            // more awaits an acknowledgement.
            var publishers = ledger.PublisherCount;
            var queued = (await server.GetSessionsAsync().ConfigureAwait(false)).Sum(s => s.PendingApplicationMessagesCount);
            var unacknowledged = ledger.Unacknowledged;
            if (publishers == 0 && queued == 0 && unacknowledged == 0) return;
            if (DateTime.UtcNow >= deadline)
            {
                LogDrainTimedOut(_logger, queued, unacknowledged, publishers, _options.DrainTimeout);
                return;
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private X509Certificate2 LoadCertificate() =>
        string.IsNullOrEmpty(_options.TlsKey)
            ? X509Certificate2.CreateFromPemFile(_options.TlsCertificate!)
            : X509Certificate2.CreateFromPemFile(_options.TlsCertificate!, _options.TlsKey);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publisher {ClientId} had already left the stopping broker: {Reason}")]
    private static partial void LogPublisherAlreadyGone(ILogger logger, string clientId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Embedded MQTT broker stopped after {Timeout} with {Queued} notices still queued and {Unacknowledged} sent but not acknowledged by subscribers ({Publishers} publishers still connected)")]
    private static partial void LogDrainTimedOut(ILogger logger, long queued, long unacknowledged, int publishers, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening with TLS on {Address}:{Port}")]
    private static partial void LogTlsStarted(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker on port {Port} stopped")]
    private static partial void LogStopped(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mqtt:Embedded is false; notices go to the external broker")]
    private static partial void LogNotEmbedded(ILogger logger);
}
