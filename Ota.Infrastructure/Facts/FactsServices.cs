using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Facts;

internal static class FactsServices
{
    /// <summary>The fact readers every flow shares: task-level facts, the catalog cache, the DDI work generation.</summary>
    public static IServiceCollection AddFacts(this IServiceCollection services)
    {
        services.AddSingleton<TaskFactsReader>();
        services.AddSingleton<CatalogCache>();
        services.AddSingleton<DdiWork>();
        return services;
    }
}
