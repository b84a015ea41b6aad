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
            // Completions on the .NET thread pool, not on a dedicated pool of its own: that pool's threads spin for work and,
            // on a 2-core machine serving the vehicle API, cost a fifth of the app's CPU (profiled).
            options.SocketManager = SocketManager.ThreadPool;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton(sp => sp.GetRequiredService<IConnectionMultiplexer>()
            .GetDatabase(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Database));
        return services;
    }
}
