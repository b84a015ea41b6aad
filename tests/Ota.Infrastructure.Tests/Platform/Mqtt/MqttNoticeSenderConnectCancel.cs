using System.Net;
using System.Net.Sockets;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>
/// A caller that gives up while the sender is still connecting (the broker has the CONNECT packet and has not answered)
/// gets its batch back as cancelled, never an exception: MQTTnet reports a connection dropped by the cancel as
/// "Error while authenticating. Connection closed.", which a loaded CI run once let escape.
/// </summary>
public sealed class MqttNoticeSenderConnectCancel
{
    [Fact]
    public async Task ACancelDuringTheConnectExchangeReportsTheBatchCancelled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var cancel = new CancellationTokenSource();
        // The "broker" takes the connection and the CONNECT packet, answers nothing, and drops the connection as soon
        // as the caller cancels: both ways MQTTnet can see the end of a connect the caller gave up on.
        var broker = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[256];
            _ = await socket.ReceiveAsync(buffer);
            cancel.Cancel();
            socket.Close();
        });
        await using var sender = Sender(port, o =>
        {
            o.ConnectTimeout = TimeSpan.FromMinutes(5);
            o.PublishTimeout = TimeSpan.FromMinutes(5);
        });

        var result = await sender.SendAsync(Enumerable.Range(1, 3).Select(n => Notice(n)).ToArray(), cancel.Token).WaitAsync(Patience);

        Assert.Equal(3, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Contains("cancelled", f.Error));
        await broker.WaitAsync(Patience);
    }
}
