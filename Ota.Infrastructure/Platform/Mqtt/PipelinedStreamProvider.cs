using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Opens MQTT client connections over <see cref="PipelinedSocketStream"/>; MQTTnet layers TLS on top when asked.</summary>
internal sealed class PipelinedStreamProvider : IMqttClientStreamProvider
{
    public static readonly PipelinedStreamProvider Instance = new();

    public async Task<Stream> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = Socket.OSSupportsIPv6
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new PipelinedSocketStream(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
