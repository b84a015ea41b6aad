using System.Text.Json;
using Ota.Domain;
using Ota.Infrastructure.Platform.Mqtt;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

public class MqttNoticeSending : IAsyncLifetime
{
    private EmbeddedMqttBroker _broker = null!;
    private readonly List<IAsyncDisposable> _cleanup = [];

    public async Task InitializeAsync() => _broker = await StartBrokerAsync();

    public async Task DisposeAsync()
    {
        foreach (var item in _cleanup) await item.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task SubscriberReceivesExactlyTheSpecFields()
    {
        var subscriber = Track(await SubscribeAsync(_broker.Port));
        var sender = Track(Sender(_broker.Port));

        var result = await sender.SendAsync([Notice(1)]);
        await subscriber.WaitForCountAsync(1, Patience);

        Assert.True(result.AllSent);
        var received = Assert.Single(subscriber.Received);
        Assert.Equal($"ota/v1/vehicles/{VinOf(1)}/notices", received.Topic);
        using var json = JsonDocument.Parse(received.Json);
        var root = json.RootElement;
        Assert.Equal(
            ["generation", "messageId", "packageId", "taskId", "upgradeType", "version", "vin"],
            root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("msg-00000001", root.GetProperty("messageId").GetString());
        Assert.Equal(4201, root.GetProperty("taskId").GetInt64());
        Assert.Equal(VinOf(1), root.GetProperty("vin").GetString());
        Assert.Equal("3.1.5", root.GetProperty("version").GetString());
        Assert.Equal(17, root.GetProperty("packageId").GetInt64());
        Assert.Equal("Normal", root.GetProperty("upgradeType").GetString());
        Assert.Equal("OTA1", root.GetProperty("generation").GetString());
    }

    [Fact]
    public async Task CancelNoticeSaysKindCancel()
    {
        var subscriber = Track(await SubscribeAsync(_broker.Port));
        var sender = Track(Sender(_broker.Port));

        await sender.SendAsync([Notice(2, NoticeKind.Cancel) with { UpgradeType = TaskType.Forced, Generation = Generation.OTA2 }]);
        await subscriber.WaitForCountAsync(1, Patience);

        var received = Assert.Single(subscriber.Received);
        using var json = JsonDocument.Parse(received.Json);
        Assert.Equal("cancel", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("Forced", json.RootElement.GetProperty("upgradeType").GetString());
        Assert.Equal("OTA2", json.RootElement.GetProperty("generation").GetString());
        Assert.True(received.Message!.IsCancel);
    }

    [Fact]
    public async Task VehicleReceivesOnlyItsOwnNotices()
    {
        var vehicle = Track(await SubscribeAsync(_broker.Port, VinOf(7)));
        var fleet = Track(await SubscribeAsync(_broker.Port));
        var sender = Track(Sender(_broker.Port));

        await sender.SendAsync(Enumerable.Range(1, 10).Select(n => Notice(n)).ToArray());
        await fleet.WaitForCountAsync(10, Patience);
        await vehicle.WaitForCountAsync(1, Patience);

        Assert.Equal(VinOf(7), Assert.Single(vehicle.Received).Message!.Vin);
    }

    [Fact]
    public async Task DeliversEveryNoticeOfALargeBatchThroughASmallWindow()
    {
        const int count = 5_000;
        var subscriber = Track(await SubscribeAsync(_broker.Port, maxRetained: count));
        var sender = Track(Sender(_broker.Port, o => o.MaxInFlight = 8));
        var notices = Enumerable.Range(0, count).Select(n => Notice(n % 250) with { MessageId = $"bulk-{n}" }).ToArray();

        var result = await sender.SendAsync(notices);
        await subscriber.WaitForCountAsync(count, Patience);

        Assert.Equal(count, result.Sent);
        Assert.Equal(0, subscriber.MalformedCount);
        Assert.Equal(notices.Select(n => n.MessageId).Order(), subscriber.Received.Select(r => r.Message!.MessageId).Order());
    }

    [Fact]
    public async Task ConcurrentCallersShareTheConnection()
    {
        var subscriber = Track(await SubscribeAsync(_broker.Port, maxRetained: 0));
        var sender = Track(Sender(_broker.Port, o => o.MaxInFlight = 16));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(batch =>
            sender.SendAsync(Enumerable.Range(batch * 500, 500).Select(n => Notice(n)).ToArray())));
        await subscriber.WaitForCountAsync(2_000, Patience);

        Assert.All(results, r => Assert.True(r.AllSent));
        Assert.Equal(2_000, subscriber.Count);
    }

    [Fact]
    public async Task RefusesAMalformedVinWithoutPublishingIt()
    {
        var subscriber = Track(await SubscribeAsync(_broker.Port));
        var sender = Track(Sender(_broker.Port));

        var result = await sender.SendAsync([Notice(1), Notice(2) with { Vin = "LSVAU2180N/+/#" }, Notice(3)]);
        await subscriber.WaitForCountAsync(2, Patience);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(1, failure.Index);
        Assert.Equal(ReasonCodes.VinMalformed, failure.Error);
        Assert.True(result.WasSent(0));
        Assert.False(result.WasSent(1));
        Assert.Equal([VinOf(1), VinOf(3)], subscriber.Received.Select(r => r.Message!.Vin).Order());
    }

    [Fact]
    public async Task ReportsFailureWhenTheBrokerIsStoppedAndRecoversWhenItReturns()
    {
        var sender = Track(Sender(_broker.Port));
        Assert.True((await sender.SendAsync([Notice(1)])).AllSent);

        await _broker.StopAsync(CancellationToken.None);
        var whileDown = await sender.SendAsync([Notice(2), Notice(3), Notice(4)]).WaitAsync(Patience);

        Assert.Equal(3, whileDown.Failures.Count);
        Assert.All(whileDown.Failures, f => Assert.Contains("MQTT broker", f.Error));

        await _broker.StartAsync(CancellationToken.None);
        var subscriber = Track(await SubscribeAsync(_broker.Port));
        var afterRestart = await sender.SendAsync([Notice(2), Notice(3), Notice(4)]).WaitAsync(Patience);
        await subscriber.WaitForCountAsync(3, Patience);

        Assert.True(afterRestart.AllSent);
        Assert.True(sender.IsConnected);
    }

    [Fact]
    public async Task ReportsFailureWhenNoBrokerListens()
    {
        var sender = Track(Sender(UnusedPort()));

        var result = await sender.SendAsync([Notice(1), Notice(2)]).WaitAsync(Patience);

        Assert.Equal([0, 1], result.Failures.Select(f => f.Index));
        Assert.Contains("cannot reach the MQTT broker", result.Failures[0].Error);
        Assert.NotNull(await sender.TryConnectAsync());
    }

    [Fact]
    public async Task WaitsBeforeRetryingAnUnreachableBroker()
    {
        var port = UnusedPort();
        var sender = Track(Sender(port, o => o.ReconnectDelay = TimeSpan.FromMinutes(5)));
        await sender.SendAsync([Notice(1)]);

        await using var broker = Broker(new MqttOptions { Port = port });
        await broker.StartAsync(CancellationToken.None);
        var result = await sender.SendAsync([Notice(1)]);

        // Within the reconnect delay the last error is answered at once, without a new attempt.
        Assert.False(result.AllSent);
        Assert.Contains("cannot reach the MQTT broker", result.Failures[0].Error);
        Assert.Equal(0, broker.ConnectedClientCount);
    }

    [Fact]
    public async Task ReportsAnEmptyBatchAsAllSent()
    {
        var sender = Track(Sender(UnusedPort()));

        var result = await sender.SendAsync([]);

        Assert.True(result.AllSent);
        Assert.Equal(0, result.Total);
    }

    private T Track<T>(T item) where T : IAsyncDisposable
    {
        _cleanup.Add(item);
        return item;
    }
}
