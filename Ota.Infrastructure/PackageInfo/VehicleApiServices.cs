using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.EventReports;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.PackageInfo;

public static class VehicleApiServices
{
    /// <summary>The vehicle API's services (SPEC §7) and the follow-ups of status reports; the worker that runs them is added by <see cref="AddFollowUpWorker"/>.</summary>
    public static IServiceCollection AddVehicleApi(this IServiceCollection services)
    {
        services.AddOptions<VehicleApiOptions>().BindConfiguration(VehicleApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FollowUpSettings>().BindConfiguration(FollowUpSettings.Section).ValidateDataAnnotations()
            .Validate(s => !s.ToDecisionOptions().Validate().Any(), "FollowUps: " + "the lists and windows must be usable (see FollowUpOptions.Validate).")
            .ValidateOnStart();
        services.AddOptions<CompensationLimit>().BindConfiguration(CompensationLimit.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VehicleSecrets>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<DescriptionSnapshots>();
        services.AddSingleton<VehicleStates>();
        services.AddSingleton<PackageInfoService>();
        services.AddSingleton<EventReportWriter>();
        services.AddSingleton<FollowUpSignal>();
        services.AddSingleton<FollowUpDecider>();
        services.AddSingleton<FollowUpDelivery>();
        services.AddSingleton<UpgradeStatusStream>();
        return services;
    }

    /// <summary>What a serving instance adds: the worker that decides and delivers follow-ups.</summary>
    public static IServiceCollection AddFollowUpWorker(this IServiceCollection services) => services.AddHostedService<FollowUpWorker>();
}
