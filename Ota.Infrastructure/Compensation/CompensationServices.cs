using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Jobs;

namespace Ota.Infrastructure.Compensation;

internal static class CompensationServices
{
    /// <summary>The compensation job (SPEC §6), twice a day in its time zone.</summary>
    public static IServiceCollection AddCompensation(this IServiceCollection services)
    {
        services.AddOptions<CompensationOptions>().BindConfiguration(CompensationOptions.Section).ValidateDataAnnotations()
            .Validate(o => RecurringJobSchedule.FindTimeZone(o.TimeZone) is not null,
                $"{CompensationOptions.Section}:TimeZone is not a time zone known to this system.")
            .ValidateOnStart();
        services.AddTransient<TaskCompensationJob>();
        services.AddRecurringJob<TaskCompensationJob>(TaskCompensationJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), sp =>
        {
            var options = sp.GetRequiredService<IOptions<CompensationOptions>>().Value;
            return (options.Cron, RecurringJobSchedule.FindTimeZone(options.TimeZone)!, $"{CompensationOptions.Section}:Cron");
        });
        return services;
    }
}
