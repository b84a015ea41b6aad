using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ota.Infrastructure.Redis;

internal static class RedisConnection
{
    /// <summary>
    /// One multiplexer per process. abortConnect=false: the app starts and answers from MySQL while Redis is down,
    /// and the multiplexer reconnects by itself when Redis returns (SPEC §10).
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Redis")
                ?? throw new InvalidOperationException("ConnectionStrings:Redis is not configured.");
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 2000;
            options.AsyncTimeout = 2000;
            // The client keeps its own pool of threads for completions (the default). Completing on the .NET thread pool
            // instead saved CPU under vehicle API load, but Hangfire's storage calls Redis synchronously, and a starved
            // thread pool could stall it; not done until shown safe.
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton(sp => sp.GetRequiredService<IConnectionMultiplexer>()
            .GetDatabase(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Database));
        return services;
    }
}
