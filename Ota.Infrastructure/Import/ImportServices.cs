using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Import.Catalog;

namespace Ota.Infrastructure.Import;

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
