using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Web.Tests.Apis;

public sealed class OpenTaskApiCalls(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private static readonly string[] Vins = [TestFleet.TestVin(1, 'P'), TestFleet.TestVin(2, 'P'), TestFleet.TestVin(3, 'P')];

    public async Task InitializeAsync()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        await fleet.AddVehiclesAsync([
            await fleet.VehicleAsync(Vins[0]),
            await fleet.VehicleAsync(Vins[1], v => v with { FirmwareVersion = "0" }),
        ]);
        var name = $"test-{Guid.NewGuid():N}";
        var (_, secret) = await services.GetRequiredService<ApiKeyStore>().CreateAsync(name);
        _client = fixture.App.CreateClient();
        _client.DefaultRequestHeaders.Add("X-Api-Key", secret);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string path, string json) =>
        _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static object Body(string type = "Normal", string seriesModel = "S1-M1", string target = "3.1.5", string? name = "campaign") => new
    {
        name, type, seriesModel, targetVersion = target,
        vins = new object[] { Vins[0], Vins[1], Vins[2], "not a vin", Vins[0].ToLowerInvariant() },
    };

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task VerifyAnswersTheAcceptedCountAndEveryRejectedEntryWithItsCodes()
    {
        var response = await _client.PostAsJsonAsync("/ota/open/api/task/verify", Body());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);

        Assert.Equal(1, json.GetProperty("accepted").GetInt32());
        var rejected = json.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("vin").GetString()!, r => string.Join(' ', r.GetProperty("codes").EnumerateArray().Select(c => c.GetString())));
        Assert.Equal(new Dictionary<string, string>
        {
            [Vins[1]] = "FIRMWARE_UNKNOWN",
            [Vins[2]] = "VEHICLE_NOT_FOUND",
            ["not a vin"] = "VIN_MALFORMED",
            [Vins[0]] = "VIN_DUPLICATE",
        }, rejected);
        Assert.False(json.TryGetProperty("taskId", out _));
        Assert.Equal(0, await fixture.Database.CountAsync("ota_task"));
    }

    [Fact]
    public async Task OnlyAKeyAllowedToAsksForTheDiagnosticSourceWhichSkipsTheFirmwareRule()
    {
        var body = new
        {
            type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", source = "Diagnostic", vins = new[] { Vins[0], Vins[1] },
        };

        var refused = await _client.PostAsJsonAsync("/ota/open/api/task/verify", body);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await JsonOf(refused);
        Assert.Equal("DIAGNOSTIC_NOT_ALLOWED", problem.GetProperty("code").GetString());
        Assert.StartsWith("The key 'test-", problem.GetProperty("detail").GetString());

        // A key of its own, made before it was allowed (as every key made before the permission existed), then allowed.
        var store = fixture.App.Services.GetRequiredService<ApiKeyStore>();
        var (key, secret) = await store.CreateAsync($"after-sales-{Guid.NewGuid():N}");
        Assert.False(key.AllowsDiagnostic);
        await store.SetDiagnosticAsync(key.Id, allowed: true);
        using var afterSales = fixture.App.CreateClient();
        afterSales.DefaultRequestHeaders.Add("X-Api-Key", secret);
        var allowed = await afterSales.PostAsJsonAsync("/ota/open/api/task/verify", body);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        // The vehicle with an unknown firmware is accepted: a Diagnostic task skips that rule.
        Assert.Equal(2, (await JsonOf(allowed)).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task PublishCreatesThePublishedTaskWithItsAcceptedVins()
    {
        var response = await _client.PostAsJsonAsync("/ota/open/api/task/publish", Body(name: "api campaign"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);

        var taskId = json.GetProperty("taskId").GetInt64();
        Assert.Equal(1, json.GetProperty("accepted").GetInt32());
        Assert.Equal(4, json.GetProperty("rejected").GetArrayLength());
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task", $"id = {taskId} AND status = 'Published' AND source = 'OpenApi' AND name = 'api campaign'"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{Vins[0]}' AND state = 'Pending'"));
    }

    [Fact]
    public async Task TaskLevelFailuresAnswer422WithEveryCode()
    {
        var response = await _client.PostAsJsonAsync("/ota/open/api/task/verify", Body(target: "3.1.6"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await JsonOf(response);
        Assert.Equal("PKG_NOT_RELEASED", json.GetProperty("code").GetString());
        Assert.Equal(["PKG_NOT_RELEASED"], json.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));

        var strategy = await JsonOf(await _client.PostAsJsonAsync("/ota/open/api/task/publish", Body(seriesModel: "S3-M1")));
        Assert.Equal("STRATEGY_ECU_ORDER_MISSING", strategy.GetProperty("code").GetString());
        Assert.Equal(0, await fixture.Database.CountAsync("ota_task", "name = 'campaign'"));
    }

    [Theory]
    [InlineData("{ not json", "MALFORMED_JSON")]
    [InlineData("[1, 2]", "MALFORMED_JSON")]
    [InlineData("""{"type": "Weekly", "seriesModel": "S1-M1", "targetVersion": "3.1.5", "vins": []}""", "TASK_TYPE_UNKNOWN")]
    [InlineData("""{"type": "Normal", "targetVersion": "3.1.5", "vins": []}""", "FIELD_MISSING")]
    [InlineData("""{"type": "Normal", "seriesModel": "S1-M1", "vins": []}""", "FIELD_MISSING")]
    [InlineData("""{"type": "Normal", "seriesModel": "S1-M1", "targetVersion": "3.1.5"}""", "FIELD_MISSING")]
    [InlineData("""{"type": "Normal", "seriesModel": "S1-M1", "targetVersion": "3.1.5", "vins": "LTESTP00000000001"}""", "FIELD_INVALID")]
    [InlineData("""{"type": 3, "seriesModel": "S1-M1", "targetVersion": "3.1.5", "vins": []}""", "FIELD_INVALID")]
    [InlineData("""{"type": "Normal", "seriesModel": "S1-M1", "targetVersion": "3.1.5", "vins": ["LTESTP00000000001", 42]}""", "FIELD_INVALID")]
    [InlineData("""{"type": "Normal", "seriesModel": "S1-M1", "targetVersion": "3.1.5", "vins": [null]}""", "FIELD_INVALID")]
    [InlineData("""{"type": "Normal", "seriesModel": "S9-M9", "targetVersion": "3.1.5", "vins": []}""", "SERIES_MODEL_UNKNOWN")]
    [InlineData("""{"type": "Normal", "seriesModel": "S1-M1", "targetVersion": "3.1.5", "vins": [], "source": "Fax"}""", "TASK_SOURCE_UNKNOWN")]
    public async Task BadRequestsAnswer400WithACode(string body, string code)
    {
        var response = await PostAsync("/ota/open/api/task/verify", body);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        Assert.Equal(code, (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task PublishNeedsAName()
    {
        var response = await _client.PostAsJsonAsync("/ota/open/api/task/publish", Body(name: null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("FIELD_MISSING", (await JsonOf(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task CallsWithoutAValidKeyAnswer401()
    {
        using var anonymous = fixture.App.CreateClient();
        var missing = await anonymous.PostAsJsonAsync("/ota/open/api/task/verify", Body());
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("API_KEY_MISSING", (await JsonOf(missing)).GetProperty("code").GetString());

        anonymous.DefaultRequestHeaders.Add("X-Api-Key", "ota_not-a-real-key");
        var wrong = await anonymous.PostAsJsonAsync("/ota/open/api/task/verify", Body());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("API_KEY_INVALID", (await JsonOf(wrong)).GetProperty("code").GetString());
    }
}
