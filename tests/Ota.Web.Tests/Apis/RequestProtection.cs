using System.Net;
using System.Text;
using Ota.Testing;

namespace Ota.Web.Tests.Apis;

/// <summary>The app with a tight open-API rate limit, so a test can reach it.</summary>
public sealed class TightLimitsAppFixture : AppFixture
{
    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["RateLimits:ApiKeyPerSecond"] = "1";
        app.Settings["RateLimits:ApiKeyBurst"] = "3";
    }
}

public sealed class RequestProtection(TightLimitsAppFixture fixture) : IClassFixture<TightLimitsAppFixture>
{
    [Fact]
    public async Task EveryAnswerCarriesTheSecurityHeaders()
    {
        using var client = fixture.App.CreateClient();
        foreach (var path in new[] { "/", "/health", "/ota/open/api/task/verify" })
        {
            var response = path.StartsWith("/ota") ? await client.PostAsync(path, new StringContent("{}")) : await client.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        }
    }

    [Fact]
    public async Task AKeyOverItsRateGets429WithRetryAfter()
    {
        using var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", $"ota_{Guid.NewGuid():N}");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await client.PostAsync("/ota/open/api/task/verify", new StringContent("{}", Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(3));
        Assert.NotNull(limited);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Contains("\"code\":\"RATE_LIMITED\"", await limited.Content.ReadAsStringAsync());
    }
}
