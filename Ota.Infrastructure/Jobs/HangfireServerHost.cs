using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Jobs;

/// <summary>
/// Runs this instance's Hangfire server, and starts a fresh one whenever the connection to Redis comes back after it was
/// lost. Hangfire's workers back off further after each failed fetch, so after a long outage the old server could sit out
/// minutes before it took a job again; and a Redis that restarted without its data no longer knows this server or the
/// recurring jobs. The fresh server announces itself and fetches at once, and the recurring jobs are registered again
/// (<see cref="RecurringJobSchedule"/>). The old server is stopped first (up to 10 s): a job it was running sees its
/// cancellation and is fetched again (validation chunks and push chunks are leased, so nothing is done twice).
/// </summary>
public sealed partial class HangfireServerHost(
    IServiceProvider services, IConnectionMultiplexer redis, RecurringJobSchedule schedule, ILogger<HangfireServerHost> logger)
    : IHostedService, IAsyncDisposable
{
    // Connections may come back in a burst of events (one per endpoint and connection type): one restart for them all.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan OldServerShutdown = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _restarting = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private BackgroundJobServer? _server;
    private int _restartPending;

    /// <summary>How many times a fresh server was started because Redis came back.</summary>
    public int Restarts { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = Create();
        redis.ConnectionRestored += OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || _stopping.IsCancellationRequested) return;
        if (Interlocked.Exchange(ref _restartPending, 1) == 1) return;
        _ = Task.Run(RestartAsync);
    }

    private async Task RestartAsync()
    {
        try
        {
            await Task.Delay(Settle, _stopping.Token);
            Interlocked.Exchange(ref _restartPending, 0);
            await _restarting.WaitAsync(_stopping.Token);
            try
            {
                // The old server first: Hangfire's Redis storage has one job-fetch subscription for every server in the
                // process, and a server that stops unsubscribes it; stopped after the fresh one started, it would leave
                // the fresh one without notifications of new jobs.
                if (_server is { } old)
                {
                    _server = null;
                    await RetireAsync(old, OldServerShutdown);
                }
                _server = Create();
                Restarts++;
            }
            finally
            {
                _restarting.Release();
            }
            LogRestarted(logger);
            await schedule.RegisterAgainAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The app is stopping: StopAsync takes care of the server.
        }
        catch (Exception e)
        {
            LogRestartFailed(logger, e);
        }
    }

    private BackgroundJobServer Create()
    {
        var redisOptions = services.GetRequiredService<IOptions<RedisOptions>>().Value;
        var options = new BackgroundJobServerOptions
        {
            WorkerCount = redisOptions.HangfireWorkers,
            SchedulePollingInterval = redisOptions.SchedulePollingInterval,
            ServerName = services.GetRequiredService<IOptions<OtaOptions>>().Value.InstanceName,
            Activator = services.GetRequiredService<JobActivator>(),
            FilterProvider = services.GetService<Hangfire.Common.IJobFilterProvider>(),
            TimeZoneResolver = services.GetService<ITimeZoneResolver>(),
        };
        return new BackgroundJobServer(options, services.GetRequiredService<JobStorage>(), services.GetServices<IBackgroundProcess>());
    }

    private static async Task RetireAsync(BackgroundJobServer server, TimeSpan patience)
    {
        server.SendStop();
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await server.WaitForShutdownAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // Jobs that did not stop in time are abandoned; Hangfire hands them out again after the invisibility timeout.
        }
        server.Dispose();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnConnectionRestored;
        await _stopping.CancelAsync();
        await _restarting.WaitAsync(cancellationToken);
        try
        {
            if (_server is { } server)
            {
                _server = null;
                server.SendStop();
                await server.WaitForShutdownAsync(cancellationToken);
                server.Dispose();
            }
        }
        finally
        {
            _restarting.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _stopping.Dispose();
        _restarting.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is back: the old Hangfire server stopped, a fresh one is taking jobs")]
    private static partial void LogRestarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting a fresh Hangfire server after Redis came back failed")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception);
}
