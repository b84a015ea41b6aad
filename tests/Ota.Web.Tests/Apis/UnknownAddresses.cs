using System.Net;
using System.Net.Http.Headers;
using Ota.Testing;

namespace Ota.Web.Tests.Apis;

/// <summary>An address that leads nowhere: a browser gets the console's Not found page, an API caller problem+json.</summary>
public sealed class UnknownAddresses(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static HttpRequestMessage Get(string path, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        return request;
    }

    [Theory]
    [InlineData("/tasks/abc")]
    [InlineData("/no/such/page")]
    public async Task ABrowserGetsTheNotFoundPageNotProblemJson(string path)
    {
        using var client = fixture.App.CreateClient();
        var response = await client.SendAsync(Get(path, "text/html"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("There is no page at this address.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnApiCallerStillGetsProblemJson()
    {
        using var client = fixture.App.CreateClient();
        var response = await client.SendAsync(Get("/ota/open/api/no-such-call", "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
