using System.Net;
using System.Net.Sockets;
using Ota.Infrastructure.Platform.Mqtt;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

public class EmbeddedBrokerLifecycle
{
    [Fact]
    public async Task ChoosesAFreePortWhenAskedForPortZero()
    {
        await using var broker = await StartBrokerAsync();

        Assert.True(broker.IsRunning);
        Assert.NotEqual(0, broker.Port);
        await using var subscriber = await SubscribeAsync(broker.Port);
        Assert.True(subscriber.IsConnected);
        Assert.Equal(1, broker.ConnectedClientCount);
    }

    [Fact]
    public async Task CountsConnectedClients()
    {
        await using var broker = await StartBrokerAsync();
        var first = await SubscribeAsync(broker.Port);
        await using var second = await SubscribeAsync(broker.Port);
        Assert.Equal(2, broker.ConnectedClientCount);

        await first.DisposeAsync();
        await using var third = await SubscribeAsync(broker.Port);

        // The broker has handled the first client's DISCONNECT before it accepts the third one's CONNECT.
        Assert.Equal(2, broker.ConnectedClientCount);
    }

    [Fact]
    public async Task ASecondBrokerOnAPortInUseFailsToStartInsteadOfSharingIt()
    {
        await using var first = await StartBrokerAsync();
        await using var second = Broker(new Ota.Infrastructure.Platform.Mqtt.MqttOptions { Embedded = true, Port = first.Port });

        // Sharing would split the vehicles between two brokers, each hearing only its own instance's notices.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => second.StartAsync(CancellationToken.None));
        Assert.Equal(SocketError.AddressAlreadyInUse, Assert.IsType<SocketException>(refused.GetBaseException()).SocketErrorCode);
        Assert.False(second.IsRunning);
        await using var subscriber = await SubscribeAsync(first.Port);
        Assert.Equal(1, first.ConnectedClientCount);
    }

    [Fact]
    public async Task RestartsOnTheSamePort()
    {
        await using var broker = await StartBrokerAsync();
        var port = broker.Port;
        await using var subscriber = await SubscribeAsync(port);

        await broker.StopAsync(CancellationToken.None);
        Assert.False(broker.IsRunning);
        Assert.Equal(0, broker.ConnectedClientCount);
        await Assert.ThrowsAnyAsync<Exception>(() => SubscribeAsync(port));

        await broker.StartAsync(CancellationToken.None);
        Assert.True(broker.IsRunning);
        Assert.Equal(port, broker.Port);
        await using var again = await SubscribeAsync(port);
        Assert.True(again.IsConnected);
    }

    [Fact]
    public async Task ListensOn127001Only()
    {
        await using var broker = await StartBrokerAsync();

        // Linux routes all of 127.0.0.0/8 to the loopback interface: a listener on every address would accept 127.0.0.2.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var error = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Parse("127.0.0.2"), broker.Port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task StaysDownWhenNotEmbedded()
    {
        await using var broker = MqttTestSetup.Broker(new MqttOptions { Embedded = false, Host = "broker.example", Port = 1883 });

        await broker.StartAsync(CancellationToken.None);

        Assert.False(broker.IsRunning);
        Assert.Equal(0, broker.Port);
    }
}
