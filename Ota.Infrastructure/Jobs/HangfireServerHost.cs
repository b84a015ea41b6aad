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
/// (<see cref="RecurringJobSchedule"/>). The old server is then told to stop: a job it was running sees its cancellation
/// and is fetched again (validation chunks and push chunks are leased, so nothing is done twice). A blip shorter than
/// 5 s (a busy machine missing a heartbeat) only has the recurring jobs registered again.
/// </summary>
public sealed partial class HangfireServerHost(
    IServiceProvider services, IConnectionMultiplexer redis, RecurringJobSchedule schedule, TimeProvider clock,
    ILogger<HangfireServerHost> logger)
    : IHostedService, IAsyncDisposable
{
    // Connections may come back in a burst of events (one per endpoint and connection type): one restart for them all.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    // A blip (a busy machine missing a heartbeat) leaves no back-off worth a restart: only the recurring jobs are checked.
    private static readonly TimeSpan RestartAfterOutage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OldServerShutdown = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _retiring = [];
    private BackgroundJobServer? _server;
    private bool _stopped;
    private long _lostAtTicks;
    private int _restartPending;

    /// <summary>How many times a fresh server was started because Redis came back.</summary>
    public int Restarts { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate) _server = Create();
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        return Task.CompletedTask;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
            Interlocked.CompareExchange(ref _lostAtTicks, clock.GetUtcNow().UtcTicks, 0);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || _stopping.IsCancellationRequested) return;
        if (Interlocked.Exchange(ref _restartPending, 1) == 1) return;
        _ = Task.Run(OnReconnectedAsync);
    }

    private async Task OnReconnectedAsync()
    {
        try
        {
            await Task.Delay(Settle, clock, _stopping.Token);
            Interlocked.Exchange(ref _restartPending, 0);
            var lostAt = Interlocked.Exchange(ref _lostAtTicks, 0);
            if (lostAt != 0 && clock.GetUtcNow().UtcTicks - lostAt >= RestartAfterOutage.Ticks) Restart();
            await schedule.RegisterAgainAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The app is stopping: StopAsync takes care of the servers.
        }
        catch (Exception e)
        {
            LogRestartFailed(logger, e);
        }
    }

    /// <summary>
    /// The fresh server first, so jobs go on while the old one stops. (The old one, stopping, unsubscribes the storage's
    /// job-fetch channel that both share; the fresh one then finds new jobs by polling, every 5 s: see FetchTimeout.)
    /// </summary>
    private void Restart()
    {
        BackgroundJobServer? old;
        lock (_gate)
        {
            if (_stopped) return;
            old = _server;
            _server = Create();
            Restarts++;
            if (old is not null) _retiring.Add(RetireAsync(old, OldServerShutdown));
        }
        LogRestarted(logger);
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
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        await _stopping.CancelAsync();
        BackgroundJobServer? server;
        Task[] retiring;
        lock (_gate)
        {
            _stopped = true;
            server = _server;
            _server = null;
            retiring = [.. _retiring];
        }
        if (server is not null)
        {
            server.SendStop();
            await server.WaitForShutdownAsync(cancellationToken);
            server.Dispose();
        }
        await Task.WhenAll(retiring).WaitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _stopped = true;
            _server?.Dispose();
            _server = null;
        }
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is back after an outage: a fresh Hangfire server is taking jobs, the old one is stopping")]
    private static partial void LogRestarted(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting a fresh Hangfire server after Redis came back failed")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception);
}
