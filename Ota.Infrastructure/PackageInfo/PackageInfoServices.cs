using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.PackageInfo;

internal static class PackageInfoServices
{
    /// <summary>queryPackageTotalInfo (SPEC §7): the batched vehicle reads, the description, its stored snapshot.</summary>
    public static IServiceCollection AddPackageInfo(this IServiceCollection services)
    {
        services.AddSingleton<DescriptionSnapshots>();
        services.AddSingleton<VehicleStates>();
        services.AddSingleton<PackageInfoService>();
        return services;
    }
}
