using System.Net;
using System.Text.Json;
using Ota.Testing;

namespace Ota.Web.Tests.Apis;

public sealed class HealthEndpoint(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task ReportsMySqlRedisAndTheBrokerUp()
    {
        using var client = fixture.App.CreateClient();
        var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var checks = json.RootElement.GetProperty("checks");
        foreach (var part in new[] { "mysql", "redis", "mqtt" })
            Assert.Equal("Healthy", checks.GetProperty(part).GetProperty("status").GetString());
    }
}
