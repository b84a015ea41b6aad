using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Infrastructure.Tasks;

namespace Ota.Infrastructure.VinLists;

internal static class ValidationServices
{
    public static IServiceCollection AddValidation(this IServiceCollection services)
    {
        services.AddOptions<ValidationOptions>().BindConfiguration(ValidationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TaskFactsReader>();
        services.AddSingleton<ValidationStaging>();
        services.AddSingleton<ValidationCompletion>();
        services.AddSingleton<ValidationChunkProcessor>();
        services.AddSingleton<TaskPublisher>();
        services.AddTransient<ValidationJobs>();
        services.AddSingleton<TaskValidationService>();
        return services;
    }
}
