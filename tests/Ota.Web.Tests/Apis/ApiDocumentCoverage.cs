using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ota.Testing;
using Ota.Web.Apis;
using Ota.Web.Hosting;

namespace Ota.Web.Tests.Apis;

/// <summary>The OpenAPI document against the endpoints the app maps: none missing, each with its error statuses and codes.</summary>
public sealed partial class ApiDocumentCoverage(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static readonly string[] ApiPrefixes = ["/ota/open/api/", "/api/vehicle/v1/", "/files/v1/"];

    private async Task<JsonElement> DocumentAsync()
    {
        using var client = fixture.App.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Every API endpoint the app maps: its path as the document writes it, its methods, its metadata.</summary>
    private List<(string Path, string Method, EndpointMetadataCollection Metadata)> MappedApiEndpoints() =>
    [
        .. fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ApiPrefixes.Any(p => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
                .Select(m => ("/" + Constraint().Replace(e.RoutePattern.RawText!.TrimStart('/'), "}"), m.ToLowerInvariant(), e.Metadata))),
    ];

    [GeneratedRegex(@":[^}]+\}")]
    private static partial Regex Constraint();

    [Fact]
    public async Task EveryApiEndpointIsInTheDocumentWithItsErrorStatusesAndCodes()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths");
        var endpoints = MappedApiEndpoints();
        // The open API, the management API, the vehicle API and the file links, at least.
        Assert.True(endpoints.Count >= 18, $"only {endpoints.Count} API endpoints found");

        foreach (var (path, method, metadata) in endpoints)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is not in the document");
            var responses = operation.GetProperty("responses");
            var declared = metadata.OfType<ProblemCodes>().GroupBy(p => p.Status).ToList();
            Assert.NotEmpty(declared);
            foreach (var status in declared)
            {
                Assert.True(responses.TryGetProperty(status.Key.ToString(), out var response), $"{method} {path}: no {status.Key} answer");
                var listed = response.GetProperty(ApiDocument.CodesExtension).EnumerateArray().Select(c => c.GetString()).ToHashSet();
                Assert.All(status.SelectMany(s => s.Codes), code => Assert.Contains(code, listed));
                Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{method} {path} {status.Key}");
            }
        }
    }

    [Fact]
    public async Task EveryOpenApiCallNeedsAScopedKeyAndSaysWhichScope()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        foreach (var (path, method, metadata) in MappedApiEndpoints().Where(e => e.Path.StartsWith("/ota/open/api/", StringComparison.Ordinal)))
        {
            var scope = metadata.GetMetadata<RequiredScope>();
            Assert.True(scope is not null, $"{method} {path} declares no scope");
            var operation = paths.GetProperty(path).GetProperty(method);
            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            Assert.Equal([scope.Scope], requirement.GetProperty(ApiKeyAuth.SchemeName).EnumerateArray().Select(s => s.GetString()));
            Assert.Contains(ApiKeyAuth.CodeScopeMissing, operation.GetProperty("responses").GetProperty("403").GetProperty(ApiDocument.CodesExtension)
                .EnumerateArray().Select(c => c.GetString()));
        }
    }

    [Fact]
    public async Task TheVinPageAnswerIsDescribedFieldByField()
    {
        var document = await DocumentAsync();
        var ok = document.GetProperty("paths").GetProperty("/ota/open/api/task/{id}/vins").GetProperty("get").GetProperty("responses").GetProperty("200");
        var schema = Resolve(document, ok.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["items", "next"], schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        var item = Resolve(document, schema.GetProperty("properties").GetProperty("items").GetProperty("items"));
        Assert.Equal(["lastStatus", "messageId", "notifiedAt", "state", "verdictCodes", "vin"],
            item.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task BodiesReadByHandAreDescribedWithoutRefusingOtherContentTypes()
    {
        var document = await DocumentAsync();
        var publish = document.GetProperty("paths").GetProperty("/ota/open/api/task/publish").GetProperty("post").GetProperty("requestBody");
        var schema = Resolve(document, publish.GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Contains("rollout", schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Contains("vins", schema.GetProperty("properties").EnumerateObject().Select(p => p.Name));

        // Described, not enforced: a body sent as text still reaches the endpoint, which answers with its own code.
        using var client = fixture.App.CreateClient();
        var unsigned = await client.PostAsync("/api/vehicle/v1/package-info", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }

    [Fact]
    public async Task TheReferenceIsBrowsable()
    {
        using var client = fixture.App.CreateClient();
        var response = await client.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"url\":\"openapi/v1.json\"", page);
        // The page's script, where the page (after Scalar's redirect to its folder) finds it.
        var script = await client.GetAsync(new Uri(response.RequestMessage!.RequestUri!, "scalar.js"));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        var name = reference.GetString()!.Split('/')[^1];
        return document.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }
}
