using System.Net;
using MQTTnet.Server;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>A broker that accepts the connection but never acknowledges a publish.</summary>
public class MqttNoticeSenderStall : IAsyncLifetime
{
    private readonly TaskCompletionSource _releaseBroker = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttServer _server = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        _port = UnusedPort();
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(_port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.InterceptingPublishAsync += _ => _releaseBroker.Task;
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _releaseBroker.TrySetResult();
        await _server.StopAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task FailsTheBatchWhenAcknowledgementsStop()
    {
        await using var sender = Sender(_port, o =>
        {
            o.PublishTimeout = TimeSpan.FromMilliseconds(500);
            o.MaxInFlight = 4;
        });

        var result = await sender.SendAsync(Enumerable.Range(1, 20).Select(n => Notice(n)).ToArray()).WaitAsync(Patience);

        Assert.Equal(20, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Contains("no acknowledgement from the MQTT broker within 0.5 s", f.Error));
        Assert.False(sender.IsConnected);
    }

    [Fact]
    public async Task StopsWaitingWhenTheCallerCancels()
    {
        await using var sender = Sender(_port, o => o.PublishTimeout = TimeSpan.FromMinutes(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await sender.SendAsync(Enumerable.Range(1, 3).Select(n => Notice(n)).ToArray(), cancel.Token).WaitAsync(Patience);

        Assert.Equal(3, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Contains("cancelled", f.Error));
    }
}
