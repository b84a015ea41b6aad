using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.Tests.Platform.Mqtt;
using Ota.Infrastructure.Tests.Push;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Tasks;

/// <summary>Operator actions while Redis (Hangfire's storage) cannot be reached: nothing is lost, the work waits in MySQL.</summary>
public sealed class TaskOperationsWithoutRedis(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private NoticeWorld _world = null!;

    public async Task InitializeAsync() => _world = await NoticeWorld.StartAsync(db, redis);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task PushNowReschedulesTheTaskAndItIsSentByTheNextRunWhenTheJobStorageIsDown()
    {
        var vins = await _world.AddVehiclesAsync('W', 3);
        var taskId = await _world.PublishTaskAsync(vins, scheduledAt: DateTime.UtcNow.AddDays(1));
        // The same database, with Redis on a port where nothing listens.
        await using var noRedis = TestServices.Create(db, settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = $"127.0.0.1:{MqttTestSetup.UnusedPort()},abortConnect=false",
        });

        var result = await noRedis.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "erin");

        Assert.True(result.Rescheduled);
        Assert.Null(result.JobId);
        await using (var context = db.NewContext())
            Assert.True((await context.Tasks.SingleAsync(t => t.Id == taskId)).ScheduledAt <= DateTime.UtcNow);
        // When the recurring run comes (here: a worker run in this process), the task goes out.
        Assert.Equal(3, (await _world.PushAsync()).Sent);
    }
}
