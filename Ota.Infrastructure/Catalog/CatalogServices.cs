using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Catalog;

internal static class CatalogServices
{
    /// <summary>The catalog: its import (SPEC §11); the console's strategy and catalog services are added with the console's.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services) => services.AddSingleton<CatalogImporter>();
}
