using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Ota.Infrastructure;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Web.Hosting;

/// <summary>
/// OpenTelemetry for the serving app (SPEC §16): the product's meter and ASP.NET Core's (request durations by route and
/// status: <c>http.server.request.duration</c>) exported in the Prometheus format at <c>/metrics</c> (Telemetry:Metrics,
/// on by default), and traces over OTLP when an endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or Telemetry:OtlpEndpoint).
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";
    public const string ServiceName = "ota-console";

    public static WebApplicationBuilder AddOtaTelemetry(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } fromEnvironment ? fromEnvironment : options.OtlpEndpoint;
        if (!options.Metrics && string.IsNullOrEmpty(otlp)) return builder;

        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        if (options.Metrics)
        {
            builder.Services.AddGaugeSampler();
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(OtaMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        }
        if (!string.IsNullOrEmpty(otlp))
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments(MetricsPath))
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        return builder;
    }

    public static WebApplication MapMetrics(this WebApplication app)
    {
        if (app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() is not { Metrics: false })
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
