using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.VinLists;

namespace Ota.Infrastructure.Tasks;

internal static class TaskServices
{
    /// <summary>Tasks: publishing (and superseding), the operator actions, the task-VIN download.</summary>
    public static IServiceCollection AddTasks(this IServiceCollection services)
    {
        services.AddOptions<PublishingOptions>().BindConfiguration(PublishingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RolloutStart>();
        services.AddSingleton<TaskPublisher>();
        services.AddSingleton<IValidatedTaskPublisher>(sp => sp.GetRequiredService<TaskPublisher>());
        services.AddSingleton<TaskOperations>();
        services.AddSingleton<TaskVinWorkbook>();
        return services;
    }
}
