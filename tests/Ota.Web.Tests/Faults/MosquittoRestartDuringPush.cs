using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Web.Tests.Faults;

/// <summary>
/// The app sending through a Mosquitto of its own (deploy/mosquitto, certificates from the app's vehicle CA), the push
/// job running every two seconds, and the product's monitor listening to every vehicle with a session the broker keeps.
/// </summary>
public sealed class PrivateMosquittoAppFixture : IAsyncLifetime
{
    public MariaDbFixture Db { get; } = new();
    public RedisFixture Redis { get; } = new();
    public MosquittoProcess Broker { get; private set; } = null!;
    public OtaAppFactory App { get; private set; } = null!;
    public MqttNoticeSubscriber Monitor { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await Redis.InitializeAsync();
        await using (var services = TestServices.Create(Db, Redis))
            Broker = await MosquittoProcess.StartAsync(services.GetRequiredService<VehicleCertificateAuthority>());
        App = new OtaAppFactory(Db, Redis);
        foreach (var (key, value) in Broker.AppSettings()) App.Settings[key] = value;
        var s = App.Settings;
        s["Push:Cron"] = "*/2 * * * * *";
        s["Push:Lease"] = "00:00:08";
        s["Push:ChunkSize"] = "250";
        s["Push:Workers"] = "2";
        s["Push:MaxNoticesPerSecond"] = "500";
        s["Mqtt:ReconnectDelay"] = "00:00:01";
        _ = App.Server;
        var ca = App.Services.GetRequiredService<VehicleCertificateAuthority>();
        Monitor = await MqttNoticeSubscriber.ConnectAsync(Broker.Subscriber(
            (await ca.IssueMonitorAsync(TimeSpan.FromHours(1))).Load(), await ca.CertificateAsync(), maxRetained: 100_000,
            sessionExpiry: TimeSpan.FromMinutes(10)));
    }

    public async Task DisposeAsync()
    {
        await Monitor.DisposeAsync();
        await App.DisposeAsync();
        await Broker.DisposeAsync();
        await Db.DisposeAsync();
    }
}

public sealed class MosquittoRestartDuringPush(PrivateMosquittoAppFixture fixture, ITestOutputHelper output) : IClassFixture<PrivateMosquittoAppFixture>
{
    private const int VinCount = 3_000;

    [Fact]
    public async Task ABrokerRestartedMidPushLosesNoNoticeAndRepeatsOnlyTheSameOne()
    {
        var (taskId, vins) = await new TestFleet(fixture.App.Services, fixture.Db).PublishedTaskAsync('R', VinCount, "pushed through a broker restart");

        // 500 notices a second; a third of the way in, Mosquitto is restarted as a service restart does it (SIGTERM: it
        // saves its sessions and the notices queued for them), and is down for a few push runs.
        await fixture.Monitor.WaitForCountAsync(VinCount / 3, TimeSpan.FromMinutes(1));
        await fixture.Broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        // Counted once the broker has been down a while: what was already in the monitor's socket when it stopped is
        // still being read just after.
        var receivedAtStop = fixture.Monitor.Count;
        await fixture.Broker.StartAsync();
        // The monitor comes back only once the push has gone on without it: what was sent meanwhile waits in its session,
        // which the broker read back from its persistence file.
        var notifiedAtRestart = await NotifiedAsync(taskId);
        await Eventually.WaitUntilAsync(async () => await NotifiedAsync(taskId) >= notifiedAtRestart + 250, TimeSpan.FromMinutes(1),
            "the push to go on through the restarted broker");
        var receivedBeforeReconnect = fixture.Monitor.Count;
        await fixture.Monitor.ReconnectAsync();

        await Eventually.WaitUntilAsync(async () => await fixture.Db.CountAsync("ota_task", $"id = {taskId} AND status = 'Executed'") == 1,
            TimeSpan.FromMinutes(2), "the task to be executed after the restart");
        await Eventually.WaitUntilAsync(() => Task.FromResult(ReceivedVins(taskId).Count == VinCount), TimeSpan.FromSeconds(30),
            $"every one of the {VinCount} VINs to reach the monitor");

        Assert.InRange(receivedAtStop, VinCount / 3, VinCount - 1);
        Assert.Equal(receivedAtStop, receivedBeforeReconnect);
        Assert.Equal(VinCount, await NotifiedAsync(taskId));
        Assert.Equal(VinCount, await fixture.Db.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        var received = ReceivedVins(taskId);
        Assert.Equal(vins.Order(), received.Keys.Order());
        // What reached the monitor twice (sent before the stop, its acknowledgement lost with the connection) is the same
        // notice, the one the database recorded.
        foreach (var (vin, ids) in received)
        {
            var recorded = (string)(await fixture.Db.ScalarAsync($"SELECT message_id FROM ota_vehicle_download_notice WHERE task_id = {taskId} AND vin = '{vin}'"))!;
            Assert.Equal([recorded], ids.Distinct());
        }
        output.WriteLine($"{receivedAtStop} notices received when Mosquitto stopped, {notifiedAtRestart} VINs notified when it was back; " +
                         $"{received.Values.Count(ids => ids.Count > 1)} VINs received theirs twice");
    }

    private Task<long> NotifiedAsync(long taskId) => fixture.Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified'");

    private Dictionary<string, List<string>> ReceivedVins(long taskId) =>
        fixture.Monitor.Received.Where(r => r.Message?.TaskId == taskId)
            .GroupBy(r => r.Message!.Vin).ToDictionary(g => g.Key, g => g.Select(r => r.Message!.MessageId).ToList());
}
