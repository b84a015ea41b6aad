using MudBlazor.Services;
using Ota.Infrastructure;
using Ota.Web.Apis;
using Ota.Web.Apis.Files;
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
        // A browser asking for a console page that does not exist (/tasks/abc) gets the console's Not found page; API
        // callers, and everything that is not a page, keep problem+json.
        app.UseWhen(IsPageRequest, pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseWhen(context => !IsPageRequest(context), other => other.UseStatusCodePages());
        // Routing after the status pages, so a re-executed request finds the Not found page's endpoint.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    private static bool IsPageRequest(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
        && !context.Request.Path.StartsWithSegments("/ota") && !context.Request.Path.StartsWithSegments("/hangfire");

    public static WebApplication MapConsoleUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAccountEndpoints();
        app.MapConsoleDownloads();
        app.MapConsoleFileUploads();
        app.MapAdminHangfireDashboard();
        return app;
    }
}
