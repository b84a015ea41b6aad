using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Tasks;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// Two app instances behind one Mosquitto (deploy/mosquitto, certificates from the vehicle CA both instances share
/// through the database) push one 20,000-VIN task together: a vehicle connected to the broker gets its notice whichever
/// instance sends it, once.
/// </summary>
public sealed class MosquittoMultiInstancePush(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const int VinCount = 20_000;
    private MosquittoProcess _broker = null!;
    private OtaAppFactory _alpha = null!;
    private OtaAppFactory _beta = null!;

    public async Task InitializeAsync()
    {
        await using (var services = TestServices.Create(db, redis))
            _broker = await MosquittoProcess.StartAsync(services.GetRequiredService<VehicleCertificateAuthority>());
        _alpha = Instance("alpha");
        _beta = Instance("beta");
        _ = _alpha.Server;
        _ = _beta.Server;
    }

    private OtaAppFactory Instance(string name)
    {
        var app = MultiInstancePush.Instance(db, redis, name);
        foreach (var (key, value) in _broker.AppSettings()) app.Settings[key] = value;
        return app;
    }

    public async Task DisposeAsync()
    {
        await _beta.DisposeAsync();
        await _alpha.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task EveryVehicleGetsItsNoticeOnceWhicheverInstanceSendsIt()
    {
        var services = _alpha.Services;
        var (taskId, vins) = await new TestFleet(services, db).PublishedTaskAsync('M', VinCount, "two instances behind Mosquitto", DateTime.UtcNow.AddDays(1));

        // The product's monitor (ota-monitor reads every vehicle's topic) and three vehicles with their own certificates.
        var ca = services.GetRequiredService<VehicleCertificateAuthority>();
        using var caCertificate = await ca.CertificateAsync();
        await using var monitor = await MqttNoticeSubscriber.ConnectAsync(
            _broker.Subscriber((await ca.IssueMonitorAsync(TimeSpan.FromHours(1))).Load(), caCertificate, maxRetained: VinCount * 2));
        string[] watched = [vins[0], vins[VinCount / 2], vins[^1]];
        var vehicles = new List<MqttNoticeSubscriber>();
        foreach (var vin in watched)
            vehicles.Add(await MqttNoticeSubscriber.ConnectAsync(_broker.Subscriber((await ca.IssueVehicleAsync(vin)).Load(), caCertificate, vin)));

        try
        {
            Assert.NotNull((await services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "test")).JobId);
            await monitor.WaitForCountAsync(VinCount, TimeSpan.FromMinutes(3));
            await Eventually.WaitUntilAsync(async () => await db.CountAsync("ota_task", $"id = {taskId} AND status = 'Executed'") == 1,
                TimeSpan.FromMinutes(1), "the task to be executed");
            foreach (var vehicle in vehicles) await vehicle.WaitForCountAsync(1, TimeSpan.FromSeconds(30));

            Assert.Equal(VinCount, await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified'"));
            Assert.Equal(VinCount, await db.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
            var received = monitor.Received.GroupBy(r => r.Message!.Vin).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(VinCount, received.Count);
            Assert.All(received.Values, n => Assert.Equal(1, n));
            Assert.Equal(VinCount, monitor.Count);
            for (var i = 0; i < watched.Length; i++)
            {
                var recorded = await db.ScalarAsync($"SELECT message_id FROM ota_vehicle_download_notice WHERE task_id = {taskId} AND vin = '{watched[i]}'");
                Assert.Equal([(watched[i], (string)recorded!)], vehicles[i].Received.Select(r => (r.Message!.Vin, r.Message.MessageId)));
            }

            var alpha = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'alpha#%'");
            var beta = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'beta#%'");
            output.WriteLine($"alpha sent {alpha}, beta sent {beta} through Mosquitto");
            Assert.True(alpha > 0, "alpha did none of the work");
            Assert.True(beta > 0, "beta did none of the work");
            Assert.Equal(VinCount, alpha + beta);
        }
        finally
        {
            foreach (var vehicle in vehicles) await vehicle.DisposeAsync();
        }
    }
}
