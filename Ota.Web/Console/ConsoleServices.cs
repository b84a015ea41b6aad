namespace Ota.Web.ConsoleServices;

// The folder is Console/; the namespace is ConsoleServices because a namespace Ota.Web.Console would hide
// System.Console from every Ota.Web.* file.
public static class ConsoleServiceRegistration
{
    /// <summary>
    /// The page-facing services: one per circuit (scoped), holding no DbContext — each operation opens its own from
    /// the factory — and checking the user's role before every change.
    /// </summary>
    public static IServiceCollection AddConsoleServices(this IServiceCollection services)
    {
        services.AddScoped<ConsoleUser>();
        services.AddScoped<TaskQueries>();
        services.AddScoped<TaskCommands>();
        services.AddScoped<StrategyService>();
        services.AddScoped<CatalogQueries>();
        services.AddScoped<VehicleService>();
        services.AddScoped<ListService>();
        services.AddScoped<AdminService>();
        services.AddScoped<OperationsQueries>();
        return services;
    }
}
