using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.Validation;

namespace Ota.Infrastructure.Jobs;

/// <summary>
/// Registers the recurring jobs in Hangfire when a serving instance starts (every instance may; it is idempotent): push
/// (OtaTaskInfoJob), compensation (OtaTaskCompensationJob) and the recovery of validation chunks whose worker died. A cron Hangfire cannot read stops the start; Redis being down does not: registration is
/// tried again until it is back, and meanwhile nothing is lost (the work waits in MySQL).
/// </summary>
public sealed partial class RecurringJobSchedule(
    IRecurringJobManager recurringJobs, IOptions<PushOptions> push, IOptions<CompensationOptions> compensation,
    TimeProvider clock, ILogger<RecurringJobSchedule> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    public static TimeZoneInfo? FindTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
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
            try
            {
                Register();
                LogRegistered();
                return;
            }
            catch (Exception e) when (e is not (ArgumentException or OperationCanceledException))
            {
                LogRetrying(e.Message);
            }
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
