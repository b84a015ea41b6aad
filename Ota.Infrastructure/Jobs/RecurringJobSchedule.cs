using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Validation;

namespace Ota.Infrastructure.Jobs;

/// <summary>
/// Registers the recurring jobs when a serving instance starts (idempotent: every instance may do it). When Redis is
/// down at start-up the instance still starts, and the registration is retried until Redis is back.
/// </summary>
internal sealed partial class RecurringJobSchedule(IRecurringJobManager recurring, ILogger<RecurringJobSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Register();
                return;
            }
            catch (Exception ex) when (LocalWorkQueue.IsStorageDown(ex))
            {
                LogRetry(ex.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
            }
        }
    }

    private void Register()
    {
        recurring.AddOrUpdate<ValidationJobs>("validation-recover-stalled-chunks",
            j => j.RecoverStalledChunksAsync(CancellationToken.None), Cron.Minutely());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring jobs not registered yet, Hangfire storage unreachable ({Reason}); retrying")]
    private partial void LogRetry(string reason);
}
