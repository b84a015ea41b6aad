using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Jobs;

namespace Ota.Infrastructure.Push;

internal static class PushServices
{
    /// <summary>The push job (SPEC §5), the notice rounds it shares with compensation, and the cancel notices.</summary>
    public static IServiceCollection AddPush(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClaimCursors>();
        services.AddSingleton<NoticePacer>();
        services.AddSingleton<RolloutPacer>();
        services.AddSingleton<PushStatistics>();
        services.AddSingleton<NoticeTaskReader>();
        services.AddSingleton<NoticeChunkProcessor>();
        services.AddSingleton<CancelNotices>();
        services.AddSingleton<PushTasks>();
        services.AddSingleton<PushWorker>();
        services.AddTransient<TaskPushJob>();
        services.AddRecurringJob<TaskPushJob>(TaskPushJob.RecurringJobId, j => j.RunAsync(CancellationToken.None),
            sp => (sp.GetRequiredService<IOptions<PushOptions>>().Value.Cron, TimeZoneInfo.Utc, $"{PushOptions.Section}:Cron"));
        return services;
    }
}
