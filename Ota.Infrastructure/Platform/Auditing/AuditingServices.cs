using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Platform.Auditing;

internal static class AuditingServices
{
    public static IServiceCollection AddAuditing(this IServiceCollection services)
    {
        services.AddSingleton<AuditInterceptor>();
        services.AddSingleton<AuditTrail>();
        return services;
    }
}
