using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The in-process MQTT broker (MQTTnet server) on 127.0.0.1, started with the host when <see cref="MqttOptions.Embedded"/> is set.
/// It can be stopped and started again; a restart binds the same port.
/// </summary>
public sealed partial class EmbeddedMqttBroker : IHostedService, IAsyncDisposable
{
    private readonly MqttOptions _options;
    private readonly ILogger<EmbeddedMqttBroker> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MqttServer? _server;
    // Counted per started server: a stopped server's late disconnect events change its own count, not the next one's.
    private StrongBox<int> _connectedClients = new();
    private int _disposed;

    public EmbeddedMqttBroker(IOptions<MqttOptions> options, ILogger<EmbeddedMqttBroker> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    public bool IsEnabled => _options.Embedded;

    public bool IsRunning => _server?.IsStarted == true;

    /// <summary>The port bound by the last start (the system's choice when configured as 0); 0 before the first start.</summary>
    public int Port { get; private set; }

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
            var adapter = new LoopbackMqttServerAdapter(Port != 0 ? Port : _options.Port, _logger);
            var serverOptions = new MqttServerOptionsBuilder()
                .WithMaxPendingMessagesPerClient(_options.BrokerMaxPendingPerClient)
                .WithPersistentSessions(false)
                .Build();
            var server = new MqttServerFactory().CreateMqttServer(serverOptions, [adapter], new MqttNetLogBridge(_logger));
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
            LogStarted(_logger, Port);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on 127.0.0.1:{Port}")]
    private static partial void LogStarted(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker on port {Port} stopped")]
    private static partial void LogStopped(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mqtt:Embedded is false; notices go to the external broker")]
    private static partial void LogNotEmbedded(ILogger logger);
}
