using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Redis;

internal static class RedisConnection
{
    /// <summary>
    /// Two multiplexers per process. abortConnect=false on both: the app starts and answers from MySQL while Redis is
    /// down, and they reconnect by themselves when Redis returns (SPEC §10).
    /// <list type="bullet">
    /// <item>The app's own (<see cref="IConnectionMultiplexer"/>), used only asynchronously (the vehicle API's replay
    /// check, the status stream, follow-ups): it completes on the .NET thread pool, which saves the vehicle API the hops
    /// through the client's own threads (about a tenth of its CPU).</item>
    /// <item>Hangfire's (<see cref="HangfireRedis"/>): its storage calls Redis synchronously from its workers, so its
    /// completions stay on the client's own threads and cannot wait behind a busy thread pool.</item>
    /// </list>
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp =>
        {
            var options = Options(sp, "ota");
            options.SocketManager = SocketManager.ThreadPool;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddSingleton(sp => new HangfireRedis(ConnectionMultiplexer.Connect(Options(sp, "ota-hangfire"))));
        services.AddSingleton(sp => sp.GetRequiredService<IConnectionMultiplexer>()
            .GetDatabase(sp.GetRequiredService<IOptions<RedisOptions>>().Value.Database));
        return services;
    }

    private static ConfigurationOptions Options(IServiceProvider sp, string clientName)
    {
        var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Redis")
            ?? throw new InvalidOperationException("ConnectionStrings:Redis is not configured.");
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        // Hangfire's storage calls synchronously. On a loaded 2-core machine (the full test suite: an app process starting
        // beside three test processes) a call took over 2 s; the client counted it as failed and tore the connection down
        // under the job being enqueued. A slow call is not an outage: the sync wait is the client's default, 5 s. Outages
        // are still seen at once (IsConnected), and the vehicle API's async calls keep their 2 s.
        options.SyncTimeout = 5000;
        options.AsyncTimeout = 2000;
        // Try to reconnect every second, not on the client's growing back-off: once Redis is back, jobs and the stream
        // resume within a second or two, not after the tens of seconds the default reaches during a long outage.
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= clientName;
        return options;
    }
}

/// <summary>The connection to Redis that Hangfire's storage uses (see <see cref="RedisConnection.AddRedis"/>).</summary>
public sealed class HangfireRedis(IConnectionMultiplexer connection) : IDisposable
{
    public IConnectionMultiplexer Connection { get; } = connection;

    public void Dispose() => Connection.Dispose();
}
