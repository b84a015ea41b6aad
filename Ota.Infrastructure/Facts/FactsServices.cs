using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Facts;

internal static class FactsServices
{
    /// <summary>The fact readers every flow shares: task-level facts and the catalog cache.</summary>
    public static IServiceCollection AddFacts(this IServiceCollection services)
    {
        services.AddSingleton<TaskFactsReader>();
        services.AddSingleton<CatalogCache>();
        return services;
    }
}
