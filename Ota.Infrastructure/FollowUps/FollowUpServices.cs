using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.FollowUps;

public static class FollowUpServices
{
    /// <summary>The follow-ups of status reports (SPEC §7 items 1–8); the worker that runs them is added by <see cref="AddFollowUpWorker"/>.</summary>
    internal static IServiceCollection AddFollowUps(this IServiceCollection services)
    {
        services.AddOptions<FollowUpSettings>().BindConfiguration(FollowUpSettings.Section).ValidateDataAnnotations()
            .Validate(s => !s.ToDecisionOptions().Validate().Any(), "FollowUps: the lists and windows must be usable (see FollowUpOptions.Validate).")
            .ValidateOnStart();
        services.AddSingleton<FollowUpSignal>();
        services.AddSingleton<FollowUpDecider>();
        services.AddSingleton<FollowUpDelivery>();
        services.AddSingleton<UpgradeStatusStream>();
        services.AddSingleton<IGaugeSource, FollowUpGauges>();
        return services;
    }

    /// <summary>What a serving instance adds: the worker that decides and delivers follow-ups.</summary>
    public static IServiceCollection AddFollowUpWorker(this IServiceCollection services) => services.AddHostedService<FollowUpWorker>();
}
