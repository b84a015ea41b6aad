using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Tasks;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// Two app instances on the same MariaDB and Redis (and so the same Hangfire storage) push one 20,000-VIN task together
/// through Hangfire, the way a deployment of several instances does.
/// </summary>
public sealed class MultiInstancePush(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const int VinCount = 20_000;
    private OtaAppFactory _alpha = null!;
    private OtaAppFactory _beta = null!;

    public Task InitializeAsync()
    {
        _alpha = Instance("alpha");
        _beta = Instance("beta");
        // Beta sends through alpha's embedded broker, as instances share one external broker in production.
        _beta.Settings["Mqtt:Embedded"] = "false";
        _beta.Settings["Mqtt:Host"] = "127.0.0.1";
        _beta.Settings["Mqtt:Username"] = BrokerCredentials.ServiceUser;
        _beta.Settings["Mqtt:Port"] = _alpha.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _ = _alpha.Server;
        _ = _beta.Server;
        return Task.CompletedTask;
    }

    private OtaAppFactory Instance(string name) => Instance(db, redis, name);

    /// <summary>An instance that takes part in a push with another: what the two-instance tests share.</summary>
    internal static OtaAppFactory Instance(MariaDbFixture db, RedisFixture redis, string name)
    {
        var app = new OtaAppFactory(db, redis);
        app.Settings["Ota:InstanceName"] = name;
        // Two Hangfire workers each and four push workers per run: each instance can run at most two, so both take part.
        // A rollout rate per instance keeps the push going for seconds, longer than Hangfire takes to hand out the jobs.
        app.Settings["Redis:HangfireWorkers"] = "2";
        app.Settings["Push:Workers"] = "4";
        app.Settings["Push:ChunkSize"] = "500";
        app.Settings["Push:MaxNoticesPerSecond"] = "2500";
        return app;
    }

    public async Task DisposeAsync()
    {
        await _beta.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    [Fact]
    public async Task TwoInstancesShareATwentyThousandVinTaskAndEveryVinGetsExactlyOneNotice()
    {
        var services = _alpha.Services;
        var (taskId, _) = await new TestFleet(services, db).PublishedTaskAsync('S', VinCount, "two instances", DateTime.UtcNow.AddDays(1));
        await using var subscriber = await MqttNoticeSubscriber.ConnectAsync(
            TestBroker.Monitor(services.GetRequiredService<EmbeddedMqttBroker>().Port, maxRetained: VinCount * 2));

        var pushNow = await services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "test");
        Assert.NotNull(pushNow.JobId);
        await subscriber.WaitForCountAsync(VinCount, TimeSpan.FromMinutes(3));
        await Eventually.WaitUntilAsync(async () => await db.CountAsync("ota_task", $"id = {taskId} AND status = 'Executed'") == 1, TimeSpan.FromMinutes(1),
            "the task to be executed");

        Assert.Equal(VinCount, await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified'"));
        Assert.Equal(VinCount, await db.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(VinCount, await db.CountAsync("(SELECT DISTINCT vin FROM ota_vehicle_download_notice WHERE task_id = " + taskId + ") v", "1=1"));
        var received = subscriber.Received.GroupBy(r => r.Message!.Vin).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(VinCount, received.Count);
        Assert.All(received.Values, n => Assert.Equal(1, n));
        Assert.Equal(VinCount, subscriber.Count);

        var alpha = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'alpha#%'");
        var beta = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'beta#%'");
        output.WriteLine($"alpha sent {alpha}, beta sent {beta}");
        output.WriteLine(HangfireJobs.Describe(services));
        Assert.True(alpha > 0, "alpha did none of the work");
        Assert.True(beta > 0, "beta did none of the work");
        Assert.Equal(VinCount, alpha + beta);
    }
}
