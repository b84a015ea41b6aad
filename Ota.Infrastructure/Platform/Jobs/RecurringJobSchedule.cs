using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Redis;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.VinLists;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>
/// Registers the recurring jobs in Hangfire when a serving instance starts (every instance may; it is idempotent): push
/// (OtaTaskInfoJob), compensation (OtaTaskCompensationJob) and the recovery of validation chunks whose worker died. A cron Hangfire cannot read stops the start; Redis being down does not: registration is
/// tried again until it is back, and meanwhile nothing is lost (the work waits in MySQL). Whenever the connection to
/// Redis comes back, the jobs are registered again: a Redis restarted without persistence has lost them.
/// </summary>
public sealed partial class RecurringJobSchedule(
    IRecurringJobManager recurringJobs, IOptions<PushOptions> push, IOptions<CompensationOptions> compensation,
    TimeProvider clock, ILogger<RecurringJobSchedule> logger, HangfireRedis? hangfireRedis = null) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);
    // Connections come back in a burst of events (one per connection type): one registration for them all.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer? _redis = hangfireRedis?.Connection;
    private readonly CancellationTokenSource _stopping = new();
    private int _registrationPending;

    public static TimeZoneInfo? FindTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_redis is not null) _redis.ConnectionRestored += OnConnectionRestored;
        // Bad cron text is a configuration mistake to report at start, not something to retry.
        try
        {
            Register();
            return;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"The {PushOptions.Section}:Cron or {CompensationOptions.Section}:Cron setting is not a valid cron expression: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRetrying(e.Message);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(RetryDelay, clock, stoppingToken);
            if (TryRegister()) return;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive || _stopping.IsCancellationRequested) return;
        if (Interlocked.Exchange(ref _registrationPending, 1) == 1) return;
        _ = Task.Run(RegisterAgainAsync);
    }

    /// <summary>After Redis came back: registers the jobs again, trying every two seconds for a minute while Redis is not ready.</summary>
    private async Task RegisterAgainAsync()
    {
        try
        {
            await Task.Delay(Settle, clock, _stopping.Token);
            Interlocked.Exchange(ref _registrationPending, 0);
            for (var attempt = 1; !TryRegister() && attempt < 30; attempt++)
                await Task.Delay(RetryDelay / 5, clock, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_redis is not null) _redis.ConnectionRestored -= OnConnectionRestored;
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        // Cancelled, not disposed (as BackgroundService does with its own): a factory-hosted app is stopped twice, by
        // the factory and by Program's Run, and one of them may call StopAsync after the container disposed this.
        _stopping.Cancel();
        base.Dispose();
    }

    /// <summary>Registers the jobs; false (logged) while Redis cannot take them. A bad cron still throws.</summary>
    private bool TryRegister()
    {
        try
        {
            Register();
            LogRegistered();
            return true;
        }
        catch (Exception e) when (e is not (ArgumentException or OperationCanceledException))
        {
            LogRetrying(e.Message);
            return false;
        }
    }

    private void Register()
    {
        recurringJobs.AddOrUpdate<TaskPushJob>(TaskPushJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), push.Value.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        var zone = FindTimeZone(compensation.Value.TimeZone)
            ?? throw new ArgumentException($"unknown time zone {compensation.Value.TimeZone}");
        recurringJobs.AddOrUpdate<TaskCompensationJob>(TaskCompensationJob.RecurringJobId, j => j.RunAsync(CancellationToken.None),
            compensation.Value.Cron, new RecurringJobOptions { TimeZone = zone });
        recurringJobs.AddOrUpdate<ValidationJobs>("validation-recover-stalled-chunks",
            j => j.RecoverStalledChunksAsync(CancellationToken.None), Cron.Minutely());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot register the recurring jobs yet (is Redis up?): {Error}; trying again")]
    private partial void LogRetrying(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring jobs registered")]
    private partial void LogRegistered();
}
