using Ota.Infrastructure;
using Ota.Web.Apis;
using Ota.Web.Apis.Ddi;
using Ota.Web.Apis.Files;
using Ota.Web.Apis.Management;
using Ota.Web.Apis.Vehicles;

namespace Ota.Web.Hosting;

/// <summary>The whole serving app: console, APIs, background jobs and broker. Program.cs and the benchmarks build it the same way.</summary>
public static class OtaApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddOtaConfiguration();
        builder.WebHost.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
        builder.Services.AddInfrastructure(builder.Configuration).AddBackgroundWork();
        builder.Services.AddConsoleUi();
        builder.Services.AddProtection();
        builder.Services.AddApiDocument();
        builder.AddOtaTelemetry();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseConsolePipeline();
        app.UseRateLimiter();
        app.MapHealth();
        app.MapMetrics();
        app.MapOpenTaskApi();
        app.MapVehicleApi();
        app.MapFileDownloads();
        app.MapOpenPackageFileApi();
        app.MapDdiApi();
        app.MapTaskManagementApi();
        app.MapVehicleManagementApi();
        app.MapApiDocument();
        app.MapConsoleUi();
        return app;
    }
}
