using Hangfire.Redis.StackExchange;
using Microsoft.Extensions.Logging.Abstractions;
using Ota.Infrastructure.Platform.Jobs;
using Ota.Testing;
using StackExchange.Redis;

namespace Ota.Infrastructure.Tests.Platform.Jobs;

/// <summary>
/// An idle Hangfire worker waits in its fetch for the next job. When Redis goes away, that fetch must wait for Redis to
/// return rather than fail: a failing worker falls into Hangfire's own back-off (about n² s after its n-th failure, up to
/// 5 min), and after a long outage it would sit idle for minutes with jobs in the queue. Real Redis, real Redis storage.
/// </summary>
public sealed class OutageTolerantFetching : IAsyncLifetime
{
    private const string Prefix = "{fetch-test}:";
    private readonly RedisServerProcess _redis = new(keepsData: true);
    private ConnectionMultiplexer _connection = null!;
    private OutageTolerantJobStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        var options = ConfigurationOptions.Parse(_redis.ConnectionString);
        options.ConnectTimeout = options.SyncTimeout = options.AsyncTimeout = 1000;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
        _storage = new OutageTolerantJobStorage(
            new RedisStorage(_connection, new RedisStorageOptions { Prefix = Prefix, FetchTimeout = TimeSpan.FromSeconds(1) }),
            () => _connection.IsConnected, NullLogger<OutageTolerantJobStorage>.Instance)
        { RetryInterval = TimeSpan.FromMilliseconds(200) };
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task AFetchWaitingWhenRedisGoesAwayWaitsForItAndTakesTheNextJobOnceItIsBack()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var connection = _storage.GetConnection();
        var fetch = Task.Run(() => connection.FetchNextJob(["default"], cancel.Token));
        await Task.Delay(500);

        await _redis.StopAsync();
        // Long enough for several failed attempts (each a refused connection or a 1-s timeout).
        await Eventually.WaitUntilAsync(() => Task.FromResult(_storage.WaitingWorkers == 1 || fetch.IsCompleted), TimeSpan.FromSeconds(10),
            "the fetch to start waiting for Redis");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(fetch.IsCompleted, $"the fetch ended while Redis was away: {fetch.Exception?.GetBaseException().Message}");
        Assert.Equal(1, _storage.WaitingWorkers);

        await _redis.StartAsync();
        await Eventually.WaitUntilAsync(async () => await TryPushAsync("job-after-the-outage"), TimeSpan.FromSeconds(10), "Redis to take the job");
        var fetched = await fetch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("job-after-the-outage", fetched.JobId);
        Assert.Equal(0, _storage.WaitingWorkers);
    }

    [Fact]
    public async Task AFetchWaitingForRedisEndsWhenItsServerStops()
    {
        using var stop = new CancellationTokenSource();
        using var connection = _storage.GetConnection();
        await _redis.StopAsync();
        var fetch = Task.Run(() => connection.FetchNextJob(["default"], stop.Token));
        await Eventually.WaitUntilAsync(() => Task.FromResult(_storage.WaitingWorkers == 1), TimeSpan.FromSeconds(10), "the fetch to start waiting for Redis");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, _storage.WaitingWorkers);
    }

    private async Task<bool> TryPushAsync(string jobId)
    {
        try
        {
            await _connection.GetDatabase().ListLeftPushAsync(Prefix + "queue:default", jobId);
            return true;
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            return false;
        }
    }
}
