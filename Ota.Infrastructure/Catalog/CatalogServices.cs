using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Catalog.Files;

namespace Ota.Infrastructure.Catalog;

internal static class CatalogServices
{
    /// <summary>
    /// The catalog: its import (SPEC §11) and package-file uploads (SPEC §13); the console's strategy and catalog
    /// services are added with the console's.
    /// </summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services) =>
        services.AddSingleton<CatalogImporter>().AddSingleton<PackageFileUploads>();
}
