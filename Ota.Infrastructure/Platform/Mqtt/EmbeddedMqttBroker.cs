using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    // Counted per started server: a stopped server's late disconnect events change its own count, not the next one's.
    private StrongBox<int> _connectedClients = new();
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

    public int ConnectedClientCount => Volatile.Read(ref Volatile.Read(ref _connectedClients).Value);

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
            var clients = new StrongBox<int>();
            server.ClientConnectedAsync += _ =>
            {
                Interlocked.Increment(ref clients.Value);
                return Task.CompletedTask;
            };
            server.ClientDisconnectedAsync += _ =>
            {
                Interlocked.Decrement(ref clients.Value);
                return Task.CompletedTask;
            };

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
            Volatile.Write(ref _connectedClients, clients);
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
            await DrainAsync(server).ConfigureAwait(false);
            _server = null;
            await server.StopAsync().ConfigureAwait(false);
            server.Dispose();
            Volatile.Write(ref _connectedClients, new StrongBox<int>());
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
    /// Refuses new notices and waits (at most <see cref="MqttOptions.DrainTimeout"/>) until the notices the broker already
    /// acknowledged have gone out to their subscribers: an acknowledged notice counts as sent, so it must not die queued.
    /// </summary>
    private async Task DrainAsync(MqttServer server)
    {
        _access.Stopping = true;
        var deadline = DateTime.UtcNow + _options.DrainTimeout;
        long pending;
        while ((pending = (await server.GetSessionsAsync().ConfigureAwait(false)).Sum(s => s.PendingApplicationMessagesCount)) > 0)
        {
            if (DateTime.UtcNow >= deadline)
            {
                LogDrainTimedOut(_logger, pending, _options.DrainTimeout);
                return;
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private X509Certificate2 LoadCertificate() =>
        string.IsNullOrEmpty(_options.TlsKey)
            ? X509Certificate2.CreateFromPemFile(_options.TlsCertificate!)
            : X509Certificate2.CreateFromPemFile(_options.TlsCertificate!, _options.TlsKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded MQTT broker stopped with {Pending} notices still queued for subscribers after {Timeout}")]
    private static partial void LogDrainTimedOut(ILogger logger, long pending, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening with TLS on {Address}:{Port}")]
    private static partial void LogTlsStarted(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker on port {Port} stopped")]
    private static partial void LogStopped(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mqtt:Embedded is false; notices go to the external broker")]
    private static partial void LogNotEmbedded(ILogger logger);
}
