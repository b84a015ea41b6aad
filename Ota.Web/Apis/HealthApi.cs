using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Ota.Web.Apis;

public static class HealthApi
{
    /// <summary>GET /health: 200 when MySQL, Redis and the MQTT broker are up, 503 otherwise, with each part's state.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                });
            },
        }).WithName("Health").WithTags("Health");
        return app;
    }
}
