using Hangfire;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Push;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// An app instance killed (SIGKILL, no chance to clean up) in the middle of a push: after its leases run out, another
/// instance finishes the task, and no VIN is lost or notified twice. The victim is the real app in a process of its
/// own, started from the build output; the survivor is this test process.
/// </summary>
public sealed class KilledInstancePush(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const int VinCount = 10_000;
    private static readonly TimeSpan VictimLease = TimeSpan.FromSeconds(15);
    private NoticeWorld _world = null!;
    private AppProcess? _victim;

    public async Task InitializeAsync() => _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?>
    {
        ["Ota:InstanceName"] = "survivor",
        ["Push:ChunkSize"] = "500",
    });

    public async Task DisposeAsync()
    {
        if (_victim is not null) await _victim.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task AfterAKilledInstancesLeasesExpireTheOtherFinishesWithNoVinLostOrNotifiedTwice()
    {
        var vins = await _world.AddVehiclesAsync('V', VinCount);
        var taskId = await _world.PublishTaskAsync(vins);
        _victim = await StartVictimAsync();

        // The victim's Hangfire server runs the push (this process has none); it sends at 2,000 notices a second.
        _world.Get<IBackgroundJobClient>().Enqueue<TaskPushJob>(j => j.RunAsync(CancellationToken.None));
        await _world.Subscriber.WaitForCountAsync(3_000, TimeSpan.FromMinutes(2));
        await _victim.KillAsync();
        var receivedAtKill = _world.Subscriber.Count;

        var heldByDeadVictim = await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Pending' AND claimed_by LIKE 'victim#%' AND lease_until > UTC_TIMESTAMP(3)");
        Assert.True(heldByDeadVictim > 0, "the victim was killed between chunks; nothing was in flight");

        // At once, the survivor sends everything but what the dead victim still holds under a live lease.
        var first = await _world.PushAsync();
        Assert.Equal(heldByDeadVictim, await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Pending' AND claimed_by LIKE 'victim#%'"));
        Assert.DoesNotContain(taskId, first.ExecutedTasks);

        // Once the leases have run out (by the database clock), the survivor takes those over and finishes.
        await Eventually.WaitUntilAsync(async () => await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Pending' AND lease_until > UTC_TIMESTAMP(3)") == 0, VictimLease * 2, "the dead victim's leases to run out");
        var second = await _world.PushAsync();
        Assert.Equal(heldByDeadVictim, second.Sent);
        Assert.Contains(taskId, second.ExecutedTasks);
        // Notices the victim sent but did not record arrive twice, so the count of arrivals alone says nothing: wait until
        // every VIN has had its notice.
        await Eventually.WaitUntilAsync(() => Task.FromResult(DistinctVinsReceived() == VinCount), NoticeWorld.Patience,
            $"every one of the {VinCount} VINs to receive its notice");

        Assert.Equal(VinCount, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified'"));
        Assert.Equal(VinCount, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(0, await _world.CountAsync(
            $"(SELECT vin FROM ota_vehicle_download_notice WHERE task_id = {taskId} GROUP BY vin HAVING COUNT(*) > 1) twice", "1=1"));
        var byVin = _world.Subscriber.Received.GroupBy(r => r.Message!.Vin).ToDictionary(g => g.Key, g => g.Select(r => r.Message!.MessageId).ToList());
        Assert.Equal(VinCount, byVin.Count);
        // A notice the victim had sent but not recorded when it died is sent again with the same message id, which the
        // vehicle recognises; no VIN ever gets two different notices.
        Assert.All(byVin.Values, ids => Assert.Single(ids.Distinct()));
        var redelivered = byVin.Values.Count(ids => ids.Count > 1);
        var victimSent = await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'victim#%'");
        output.WriteLine($"received {receivedAtKill} when the victim was killed; it held {heldByDeadVictim} VINs; " +
                         $"it recorded {victimSent}, the survivor {VinCount - victimSent}; {redelivered} notices delivered twice with the same id");
        Assert.True(victimSent > 0 && victimSent < VinCount);
    }

    private int DistinctVinsReceived() => _world.Subscriber.Received.Select(r => r.Message!.Vin).Distinct().Count();

    /// <summary>A second instance as its own process: it runs the push (its own Hangfire server) until it is killed.</summary>
    private Task<AppProcess> StartVictimAsync() => AppProcess.StartAsync(AppProcess.VictimSettings(db, redis, new Dictionary<string, string?>
    {
        ["Redis:HangfireWorkers"] = "3",
        ["Redis:SchedulePollingInterval"] = "00:00:01",
        ["Mqtt:Embedded"] = "false",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Username"] = BrokerCredentials.ServiceUser,
        ["Mqtt:Port"] = _world.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Push:ChunkSize"] = "500",
        ["Push:Workers"] = "2",
        ["Push:Lease"] = VictimLease.ToString(),
        ["Push:MaxNoticesPerSecond"] = "2000",
    }));
}
