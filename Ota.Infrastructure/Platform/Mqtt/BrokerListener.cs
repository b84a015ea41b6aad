using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// One TCP listener of the embedded broker, plain or with TLS when given a certificate. It replaces MQTTnet's default
/// listener to serve each connection over a <see cref="PipelinedSocketStream"/>, and it reports the port it bound (the
/// system's choice when asked for port 0).
/// </summary>
internal sealed partial class BrokerListener(IPAddress address, int port, X509Certificate2? certificate, ILogger logger) : IMqttServerAdapter
{
    // A client that opens a connection and never finishes its TLS handshake is dropped after this.
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Socket, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public int BoundPort { get; private set; }

    // Linux's <sys/socket.h>.
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // SO_REUSEADDR lets a restarted broker bind its port again while old connections linger in TIME_WAIT. Set
            // raw: .NET's ReuseAddress adds SO_REUSEPORT on Linux, and then a second broker (another instance on the
            // same host, or a test's) bound the same port without an error and the kernel split the connections
            // between the two: a vehicle connected to one never heard the notices pushed through the other.
            if (OperatingSystem.IsLinux()) listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            listener.Bind(new IPEndPoint(address, port));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        BoundPort = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync(listener, options, mqttLogger, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        foreach (var connection in _connections.Keys) connection.Dispose();
        await _acceptLoop.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener?.Dispose();
        foreach (var connection in _connections.Keys) connection.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, MqttServerOptions options, IMqttNetLogger mqttLogger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                                          || (e is SocketException && stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(logger, e.SocketErrorCode, e);
                continue;
            }
            _ = Task.Run(() => ServeAsync(client, options, mqttLogger), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket socket, MqttServerOptions options, IMqttNetLogger mqttLogger)
    {
        _connections.TryAdd(socket, 0);
        Stream stream = new PipelinedSocketStream(socket);
        try
        {
            var handler = ClientHandler;
            if (handler is null) return;
            if (certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using var handshake = new CancellationTokenSource(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = false },
                    handshake.Token).ConfigureAwait(false);
            }
            var channel = new MqttTcpChannel(stream, socket.LocalEndPoint, socket.RemoteEndPoint, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, mqttLogger);
            adapter.AllowPacketFragmentation = options.DefaultEndpointOptions.AllowPacketFragmentation;
            await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException
                                      or System.Security.Authentication.AuthenticationException)
        {
            LogConnectionEnded(logger, e.GetType().Name, e.Message);
        }
        catch (Exception e)
        {
            // This is the top of the connection's task: whatever a client sent, it must not go unobserved.
            LogConnectionFailed(logger, e);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            _connections.TryRemove(socket, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded MQTT broker could not accept a connection ({SocketError})")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError socketError, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded MQTT broker connection failed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedded MQTT broker connection ended: {ErrorType} {Error}")]
    private static partial void LogConnectionEnded(ILogger logger, string errorType, string error);
}
