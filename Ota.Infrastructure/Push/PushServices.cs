using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Tasks;

using Ota.Infrastructure.Platform.Jobs;

namespace Ota.Infrastructure.Push;

internal static class PushServices
{
    /// <summary>The push and compensation jobs, the cancel notices and the operator actions on tasks.</summary>
    public static IServiceCollection AddNoticeJobs(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CompensationOptions>().BindConfiguration(CompensationOptions.Section).ValidateDataAnnotations()
            .Validate(o => RecurringJobSchedule.FindTimeZone(o.TimeZone) is not null,
                $"{CompensationOptions.Section}:TimeZone is not a time zone known to this system.")
            .ValidateOnStart();
        services.AddSingleton<ClaimCursors>();
        services.AddSingleton<NoticePacer>();
        services.AddSingleton<PushStatistics>();
        services.AddSingleton<NoticeTaskReader>();
        services.AddSingleton<NoticeChunkProcessor>();
        services.AddSingleton<CancelNotices>();
        services.AddSingleton<PushTasks>();
        services.AddSingleton<PushWorker>();
        services.AddTransient<TaskPushJob>();
        services.AddTransient<TaskCompensationJob>();
        services.AddSingleton<TaskOperations>();
        return services;
    }
}
