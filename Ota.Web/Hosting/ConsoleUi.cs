using MudBlazor.Services;
using Ota.Infrastructure;
using Ota.Web.Apis;
using Ota.Web.Components;

namespace Ota.Web.Hosting;

public static class ConsoleUi
{
    public static IServiceCollection AddConsoleUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();
        services.AddConsoleAuth();
        services.AddConsoleServices();
        return services;
    }

    public static WebApplication UseConsolePipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapConsoleUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapConsoleDownloads();
        app.MapAdminHangfireDashboard();
        return app;
    }
}
