using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Fleet;

internal static class ImportServices
{
    public static IServiceCollection AddImporters(this IServiceCollection services)
    {
        services.AddSingleton<VehicleWriter>();
        services.AddSingleton<VehicleImporter>();
        services.AddSingleton<VehicleListImporter>();
        services.AddSingleton<CatalogImporter>();
        services.AddSingleton<DemoWorld>();
        return services;
    }
}
