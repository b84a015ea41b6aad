using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.Rollouts;

internal static class RolloutServices
{
    /// <summary>Staged rollouts (SPEC §12): the pause, the operator's actions, the progress, and the evaluation every instance runs.</summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services)
    {
        services.AddOptions<RolloutOptions>().BindConfiguration(RolloutOptions.Section);
        services.AddSingleton<TaskPause>();
        services.AddSingleton<RolloutQueries>();
        services.AddSingleton<RolloutActions>();
        services.AddSingleton<RolloutEvaluation>();
        services.AddSingleton<IGaugeSource, RolloutGauges>();
        return services;
    }

    /// <summary>The evaluation loop, for the instances that run background work.</summary>
    public static IServiceCollection AddRolloutEvaluator(this IServiceCollection services) => services.AddHostedService<RolloutEvaluator>();
}
