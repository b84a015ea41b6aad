using System.Collections.Concurrent;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// The embedded broker stopped and started again in the middle of a push (SPEC §15, the reliability issue's fault
/// tests): no notice is lost. What the broker acknowledged before it stopped reaches the listening vehicles before it
/// goes; what it did not leaves its VIN pending, and the next push sends it.
/// </summary>
public sealed class BrokerRestartDuringPush(MariaDbFixture db, RedisFixture redis)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const int VinCount = 3000;
    private readonly ConcurrentQueue<NoticeMessage> _heard = new();
    private readonly List<MqttNoticeSubscriber> _vehicles = [];
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() =>
        _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?>
        {
            // Slow enough that the restart falls in the middle; after a failed connection the sender waits 2 s, so the
            // restarted broker has its listeners back before the first notice is sent to it.
            ["Push:MaxNoticesPerSecond"] = "1500",
            ["Mqtt:ReconnectDelay"] = "00:00:02",
        });

    public async Task DisposeAsync()
    {
        foreach (var vehicle in _vehicles) await vehicle.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task EveryVinIsNotifiedAndHeardWhenTheBrokerRestartsMidPush()
    {
        var vins = await _world.AddVehiclesAsync('R', VinCount);
        var taskId = await _world.PublishTaskAsync(vins);
        var before = await ListenAsync();

        var firstRun = _world.PushAsync();
        await Eventually.WaitUntilAsync(() => Task.FromResult(before.Count >= VinCount / 4), NoticeWorld.Patience, "a quarter of the notices heard");
        await _world.Broker.StopAsync(CancellationToken.None);
        var sender = _world.Get<MqttNoticeSender>();
        await Eventually.WaitUntilAsync(() => Task.FromResult(!sender.IsConnected), NoticeWorld.Patience, "the sender sees the broker gone");
        Assert.NotNull(await sender.TryConnectAsync());
        await Task.Delay(300);
        await _world.Broker.StartAsync(CancellationToken.None);
        await ListenAsync();
        var interrupted = await firstRun;

        for (var run = 0; run < 10 && await PendingAsync(taskId) > 0; run++) await _world.PushAsync();

        Assert.True(interrupted.Sent < VinCount, $"the first run sent all {interrupted.Sent}: the restart did not fall mid-push");
        Assert.Equal(0, await PendingAsync(taskId));
        Assert.Equal(VinCount, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified'"));
        Assert.Equal(VinCount, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        await Eventually.WaitUntilAsync(() => Task.FromResult(_heard.Select(n => n.Vin).Distinct().Count() == VinCount), NoticeWorld.Patience,
            "every VIN's notice heard");
        // A notice sent again (its acknowledgement lost in the restart) carries the message id the vehicle already has.
        Assert.All(_heard.GroupBy(n => n.Vin), g => Assert.Single(g.Select(n => n.MessageId).Distinct()));
    }

    private async Task<MqttNoticeSubscriber> ListenAsync()
    {
        var vehicle = await MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(_world.Broker.Port, maxRetained: 0, onNotice: n =>
        {
            if (n.Message is { } message) _heard.Enqueue(message);
            return Task.CompletedTask;
        }));
        _vehicles.Add(vehicle);
        return vehicle;
    }

    private Task<long> PendingAsync(long taskId) => _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending'");
}
