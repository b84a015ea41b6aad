using System.Collections.Concurrent;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Ota.Testing;
using StackExchange.Redis;

namespace Ota.Infrastructure.Tests.Platform.Jobs;

/// <summary>
/// Hangfire's Redis storage wakes idle workers with a "new job" message. When that message is missed (it came just
/// before a worker started to wait, or while Redis was away), the workers must still find the job by looking at the
/// queues themselves within the fetch timeout (5 s), not after the storage's default three minutes.
/// </summary>
public sealed class HangfireFetching(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private OtaAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new OtaAppFactory(db, redis);
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AJobWhoseNewJobMessageWasMissedIsStillTakenWithinSeconds()
    {
        var jobs = _app.Services.GetRequiredService<IBackgroundJobClient>();
        var token = Guid.NewGuid().ToString("N");
        // Enqueued where no worker listens, then moved into the queue the workers serve without any message: as if the
        // message had been lost.
        var jobId = jobs.Create(() => Probe.Run(token), new EnqueuedState("parked"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var keys = connection.GetDatabase(redis.Database);
        var moved = await keys.ListMoveAsync($"{redis.HangfirePrefix}queue:parked", $"{redis.HangfirePrefix}queue:default",
            ListSide.Right, ListSide.Left);
        Assert.Equal(jobId, moved.ToString());

        await Eventually.WaitUntilAsync(() => Task.FromResult(Probe.Ran.ContainsKey(token)), TimeSpan.FromSeconds(10),
            "the job to run without its message");
    }

    /// <summary>The job: records that it ran.</summary>
    public static class Probe
    {
        public static ConcurrentDictionary<string, bool> Ran { get; } = new();

        public static void Run(string token) => Ran[token] = true;
    }
}
