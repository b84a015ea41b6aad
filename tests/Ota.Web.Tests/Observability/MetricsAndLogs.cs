using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Web.Tests.Observability;

/// <summary>
/// The real app process as an on-call engineer meets it: /metrics scraped and read by Prometheus's own parser (promtool,
/// from Debian's prometheus package, which ./ota test installs), and its console log as JSON lines with trace ids.
/// </summary>
public sealed class MetricsAndLogs(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task TheScrapeIsValidPrometheusTextWithTheProductsMetricsAndTheLogIsJsonWithTraceIds()
    {
        await using var tools = TestServices.Create(db, redis);
        var fleet = new TestFleet(tools, db);
        await fleet.ImportDemoCatalogAsync();
        await fleet.AddVehiclesAsync([await fleet.VehicleAsync(TestFleet.TestVin(1, 'G'))]);
        var (_, key) = await tools.GetRequiredService<ApiKeyStore>().CreateAsync("observer");

        var settings = AppProcess.VictimSettings(db, redis);
        settings["Mqtt:Port"] = "0"; // the broker takes a free port when it binds
        settings["Telemetry:GaugeInterval"] = "00:00:01";
        settings["Logging:Console:FormatterName"] = "json";
        settings["Logging:Console:FormatterOptions:IncludeScopes"] = "true";
        settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
        await using var app = await AppProcess.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = new Uri(app.Url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);

        var published = await http.PostAsJsonAsync("/ota/open/api/task/publish", new
        {
            name = "observed", type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", scheduledAt = "2099-01-01T00:00:00Z",
            vins = new[] { TestFleet.TestVin(1, 'G'), TestFleet.TestVin(2, 'G') }, // the second is not in the registry
        });
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/ota/open/api/tasks")).StatusCode);
        // An unsigned vehicle call: a 401 on the vehicle API's route.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/vehicle/v1/package-info", new StringContent("{}"))).StatusCode);

        string scrape = "";
        await Eventually.WaitUntilAsync(async () =>
        {
            scrape = await http.GetStringAsync("/metrics");
            return scrape.Contains("ota_tasks{", StringComparison.Ordinal) && scrape.Contains("state=\"Published\"} 1", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the task gauges in the scrape");

        var (exitCode, lint) = await PromtoolAsync(scrape);
        output.WriteLine(lint);
        Assert.True(exitCode == 0, $"promtool check metrics failed ({exitCode}):\n{lint}");

        output.WriteLine(scrape);
        var samples = scrape.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
        Assert.Contains(samples, l => l.StartsWith("ota_validation_vins_total{", StringComparison.Ordinal) && l.Contains("verdict=\"accepted\"") && l.EndsWith(" 1"));
        Assert.Contains(samples, l => l.StartsWith("ota_validation_vins_total{", StringComparison.Ordinal) && l.Contains("verdict=\"rejected\"") && l.EndsWith(" 1"));
        Assert.Contains(samples, l => l.StartsWith("ota_jobs_queue_length{", StringComparison.Ordinal) && l.Contains("queue=\"follow-ups\""));
        Assert.Contains(samples, l => l.StartsWith("ota_rollouts_paused{", StringComparison.Ordinal));
        Assert.Contains(samples, l => l.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && l.Contains("http_route=\"/ota/open/api/tasks\"") && l.Contains("http_response_status_code=\"200\""));
        Assert.Contains(samples, l => l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("http_route=\"/api/vehicle/v1/package-info\"") && l.Contains("http_response_status_code=\"401\""));

        // The log: one JSON object a line, the request's trace id in its scopes.
        var lines = app.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = lines.Select(Parse).FirstOrDefault(j => j is { } e && e.GetProperty("Message").GetString()!.Contains("/ota/open/api/tasks"));
        Assert.True(request is not null, $"no JSON log line of the request in:\n{string.Join('\n', lines.Take(20))}");
        var traceId = request.Value.GetProperty("Scopes").EnumerateArray()
            .Where(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out _)).Select(s => s.GetProperty("TraceId").GetString()).First();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
    }

    private static JsonElement? Parse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            var element = JsonDocument.Parse(line).RootElement;
            return element.TryGetProperty("Message", out _) ? element : null;
        }
        catch (JsonException)
        {
            return null; // a line the app did not write as JSON (the runtime's own start-up text): not a log entry
        }
    }

    private static async Task<(int ExitCode, string Output)> PromtoolAsync(string scrape)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var promtool = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(scrape);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, await stdout + await stderr);
    }
}
