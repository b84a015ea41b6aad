using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Ddi;

internal static class DdiServices
{
    /// <summary>The Eclipse hawkBit DDI API's flow (SPEC §14): devices' state, tokens, deployments, feedback, attributes.</summary>
    public static IServiceCollection AddDdi(this IServiceCollection services)
    {
        services.AddOptions<DdiOptions>().BindConfiguration(DdiOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Tenant) && o.PollingSleep > TimeSpan.Zero && o.PollingSleep < TimeSpan.FromDays(1),
                "Ddi:Tenant must be set and Ddi:PollingSleep between 00:00:01 and 23:59:59.")
            .ValidateOnStart();
        services.AddSingleton<DdiDevices>();
        services.AddSingleton<DdiTokens>();
        services.AddSingleton<DdiDeployments>();
        services.AddSingleton<DdiFeedbackWriter>();
        services.AddSingleton<DdiConfigData>();
        return services;
    }
}
