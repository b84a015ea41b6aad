using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ota.Infrastructure.Platform.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Health;

/// <summary>Redis is healthy when both of the app's connections to it answer: its own, and the one Hangfire's jobs go through.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis, HangfireRedis hangfire) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            var jobs = await hangfire.Connection.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"Redis answers in {latency.TotalMilliseconds:0.#} ms ({jobs.TotalMilliseconds:0.#} ms on the jobs' connection).");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Unhealthy("Redis does not answer.", ex);
        }
    }
}
