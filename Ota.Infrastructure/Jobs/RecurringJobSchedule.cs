using Hangfire;
using Microsoft.Extensions.Hosting;
using Ota.Infrastructure.Validation;

namespace Ota.Infrastructure.Jobs;

/// <summary>Registers the recurring jobs when a serving instance starts (idempotent: every instance may do it).</summary>
internal sealed class RecurringJobSchedule(IRecurringJobManager recurring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<ValidationJobs>("validation-recover-stalled-chunks",
            j => j.RecoverStalledChunksAsync(CancellationToken.None), Cron.Minutely());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
