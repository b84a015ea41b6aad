using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Redis;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>
/// Registers the flows' recurring jobs (<see cref="RecurringJobRegistration"/>: push, compensation, the recovery of
/// validation chunks whose worker died) in Hangfire when a serving instance starts (every instance may; it is
/// idempotent). A cron Hangfire cannot read stops the start; Redis being down does not: registration is
/// tried again until it is back, and meanwhile nothing is lost (the work waits in MySQL). Whenever the connection to
/// Redis comes back, the jobs are registered again: a Redis restarted without persistence has lost them.
/// </summary>
public sealed partial class RecurringJobSchedule(
    IRecurringJobManager recurringJobs, IEnumerable<RecurringJobRegistration> registrations,
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
        catch (InvalidCronException e)
        {
            throw new InvalidOperationException($"The {e.Setting} setting is not a valid cron expression: {e.InnerException!.Message}", e);
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
        catch (Exception e) when (e is not (InvalidCronException or OperationCanceledException))
        {
            LogRetrying(e.Message);
            return false;
        }
    }

    private void Register()
    {
        foreach (var job in registrations)
        {
            try
            {
                recurringJobs.AddOrUpdate(job.Id, job.Job, job.Cron, new RecurringJobOptions { TimeZone = job.TimeZone });
            }
            catch (ArgumentException e)
            {
                throw new InvalidCronException(job.Setting, e);
            }
        }
    }

    private sealed class InvalidCronException(string setting, ArgumentException inner) : Exception(inner.Message, inner)
    {
        public string Setting { get; } = setting;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot register the recurring jobs yet (is Redis up?): {Error}; trying again")]
    private partial void LogRetrying(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring jobs registered")]
    private partial void LogRegistered();
}
