using MudBlazor.Services;
using Ota.Web.Components;

namespace Ota.Web.Hosting;

public static class ConsoleUi
{
    public static IServiceCollection AddConsoleUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseConsolePipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePages();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapConsoleUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapHangfireDashboard();
        return app;
    }

    private static void MapHangfireDashboard(this WebApplication app) =>
        Hangfire.HangfireApplicationBuilderExtensions.UseHangfireDashboard(app, "/hangfire");
}
