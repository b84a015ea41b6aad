using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Fleet;

internal static class FleetServices
{
    /// <summary>The fleet: vehicle and black/white list imports, their downloads.</summary>
    public static IServiceCollection AddFleet(this IServiceCollection services)
    {
        services.AddSingleton<VehicleWriter>();
        services.AddSingleton<VehicleImporter>();
        services.AddSingleton<VehicleListImporter>();
        services.AddSingleton<FleetWorkbooks>();
        services.AddSingleton<FleetVersionQueries>();
        services.AddSingleton<VehicleCertificates>();
        return services;
    }
}
