using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Jobs;

namespace Ota.Infrastructure.VinLists;

internal static class VinListServices
{
    /// <summary>VIN lists: upload, staging, chunked validation in background jobs, the rejected-VIN downloads.</summary>
    public static IServiceCollection AddVinLists(this IServiceCollection services)
    {
        services.AddOptions<ValidationOptions>().BindConfiguration(ValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ValidationStaging>();
        services.AddSingleton<ValidationCompletion>();
        services.AddSingleton<ValidationChunkProcessor>();
        services.AddTransient<ValidationJobs>();
        services.AddSingleton<TaskValidationService>();
        services.AddSingleton<VinListWorkbooks>();
        services.AddRecurringJob<ValidationJobs>(ValidationJobs.RecoverStalledChunksJobId, j => j.RecoverStalledChunksAsync(CancellationToken.None),
            _ => (Cron.Minutely(), TimeZoneInfo.Utc, "recovery of stalled validation chunks (every minute)"));
        return services;
    }
}
