using StackExchange.Redis;
using Xunit;

namespace Ota.Testing;

/// <summary>A flushed Redis database and a Hangfire key prefix of its own on the real test Redis, for one test class.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public int Database { get; private set; }

    /// <summary>Unique per fixture: a Hangfire server on the same Redis with the same prefix would steal the jobs.</summary>
    public string HangfirePrefix { get; } = $"ota-test:{Guid.NewGuid():N}:";

    public string ConnectionString => TestEnvironment.Redis;

    public async Task InitializeAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);
        // Databases 1..255 are handed out in turn across test processes; 0 keeps the counter.
        var n = await redis.GetDatabase(0).StringIncrementAsync("ota:test:next-database");
        Database = (int)(n % 255) + 1;
        await redis.GetDatabase(Database).ExecuteAsync("FLUSHDB");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
