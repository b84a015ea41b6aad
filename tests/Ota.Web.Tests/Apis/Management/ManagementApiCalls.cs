using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain.Operations;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Web.Tests.Apis.Management;

public sealed class ManagementApiCalls(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private static readonly string[] Vins = [TestFleet.TestVin(1, 'M'), TestFleet.TestVin(2, 'M'), TestFleet.TestVin(3, 'M'), TestFleet.TestVin(4, 'M')];

    /// <summary>Far enough ahead that the push job leaves the tasks alone while a test reads them.</summary>
    private const string Later = "2099-01-01T00:00:00Z";

    private HttpClient _all = null!;

    public async Task InitializeAsync()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await fleet.ImportDemoCatalogAsync();
        await fleet.AddVehiclesAsync([.. await Task.WhenAll(Vins.Select(v => fleet.VehicleAsync(v)))]);
        _all = await ClientAsync(null);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> ClientAsync(string? scopes)
    {
        var (_, secret) = await fixture.App.Services.GetRequiredService<ApiKeyStore>()
            .CreateAsync($"mgmt-{Guid.NewGuid():N}", scopes: scopes is null ? null : ApiScopes.Parse(scopes));
        var client = fixture.App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        return client;
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<long> PublishAsync(string name, string[] vins, object? rollout = null)
    {
        var response = await _all.PostAsJsonAsync("/ota/open/api/task/publish", new
        {
            name, type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", vins, scheduledAt = Later, priority = 5, rollout,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await JsonOf(response)).GetProperty("taskId").GetInt64();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheTaskListFiltersSortsAndPages()
    {
        var first = await PublishAsync($"list-a-{Guid.NewGuid():N}", [Vins[0]]);
        var second = await PublishAsync($"list-b-{Guid.NewGuid():N}", [Vins[1]]);

        var page = await JsonOf(await _all.GetAsync("/ota/open/api/tasks?state=Published&seriesModel=S1-M1&sort=taskId&order=desc&pageSize=1"));

        Assert.True(page.GetProperty("total").GetInt64() >= 2);
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.True(item.GetProperty("taskId").GetInt64() >= second);
        Assert.Equal("Published", item.GetProperty("state").GetString());
        Assert.Equal("S1-M1", item.GetProperty("seriesModel").GetString());

        var named = await JsonOf(await _all.GetAsync("/ota/open/api/tasks?name=list-a-"));
        Assert.Contains(named.GetProperty("items").EnumerateArray(), t => t.GetProperty("taskId").GetInt64() == first);
        Assert.DoesNotContain(named.GetProperty("items").EnumerateArray(), t => t.GetProperty("taskId").GetInt64() == second);
    }

    [Theory]
    [InlineData("state=Sleeping", "TASK_STATE_UNKNOWN")]
    [InlineData("type=Weekly", "TASK_TYPE_UNKNOWN")]
    [InlineData("seriesModel=S9-M9", "SERIES_MODEL_UNKNOWN")]
    [InlineData("sort=secret", "SORT_UNKNOWN")]
    [InlineData("order=up", "FIELD_INVALID")]
    [InlineData("pageSize=0", "FIELD_INVALID")]
    [InlineData("page=-1", "FIELD_INVALID")]
    public async Task BadListQueriesAnswer400WithACode(string query, string code) =>
        await AssertProblemAsync(await _all.GetAsync($"/ota/open/api/tasks?{query}"), HttpStatusCode.BadRequest, code);

    [Fact]
    public async Task ATasksVinsAnswerEveryFieldInVinOrder()
    {
        var taskId = await PublishAsync($"vins-{Guid.NewGuid():N}", [Vins[2], Vins[0]]);

        var page = await JsonOf(await _all.GetAsync($"/ota/open/api/task/{taskId}/vins"));

        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([Vins[0], Vins[2]], items.Select(i => i.GetProperty("vin").GetString()));
        Assert.Equal(["lastStatus", "messageId", "notifiedAt", "state", "verdictCodes", "vin"], items[0].EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Pending", items[0].GetProperty("state").GetString());
        Assert.Equal(0, items[0].GetProperty("verdictCodes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("lastStatus").ValueKind);
    }

    [Fact]
    public async Task CursorPagingWalksALargeTaskToItsEndWithAndWithoutAState()
    {
        // A task with a three-group rollout, then 6,000 more task-VINs spread over the groups and four states.
        var taskId = await PublishAsync($"large-{Guid.NewGuid():N}", [Vins[0], Vins[1], Vins[3]], new
        {
            groups = new object[] { new { name = "pilot", percent = 10 }, new { name = "wave", percent = 50 }, new { name = "all", percent = 100 } },
        });
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO ota_task_vin (task_id, vin, state, is_resend, rollout_group, resend_count, is_delete, created_at)
            SELECT {taskId}, CONCAT('LPAGE', LPAD(seq, 12, '0')), ELT(1 + seq % 4, 'Pending', 'Notified', 'Failed', 'Succeeded'), 0, seq % 3, 0, 0, NOW()
            FROM seq_1_to_6000
            """);

        foreach (var state in new string?[] { null, "Failed" })
        {
            var expected = await ExpectedVinsAsync(taskId, state);

            var seen = new List<string>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var url = $"/ota/open/api/task/{taskId}/vins?limit=700{(state is null ? "" : $"&state={state}")}{(cursor is null ? "" : $"&cursor={cursor}")}";
                var page = await JsonOf(await _all.GetAsync(url));
                var items = page.GetProperty("items").EnumerateArray().ToList();
                Assert.All(items, i => Assert.Equal(state ?? i.GetProperty("state").GetString(), i.GetProperty("state").GetString()));
                seen.AddRange(items.Select(i => i.GetProperty("vin").GetString()!));
                cursor = page.GetProperty("next").GetString();
                Assert.True(cursor is null || items.Count == 700, "only the last page may be short");
                pages++;
            }
            while (cursor is not null);

            Assert.Equal(expected, seen);
            Assert.Equal((expected.Count + 699) / 700, pages);
        }
    }

    private async Task<List<string>> ExpectedVinsAsync(long taskId, string? state)
    {
        var expected = new List<string>();
        await using var connection = new MySqlConnector.MySqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var where = state is null ? "" : $" AND state = '{state}'";
        await using var command = new MySqlConnector.MySqlCommand($"SELECT vin FROM ota_task_vin WHERE task_id = {taskId}{where} ORDER BY vin", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) expected.Add(reader.GetString(0));
        return expected;
    }

    [Theory]
    [InlineData("limit=0", "FIELD_INVALID")]
    [InlineData("limit=1001", "FIELD_INVALID")]
    [InlineData("limit=ten", "FIELD_INVALID")]
    [InlineData("state=Asleep", "TASK_VIN_STATE_UNKNOWN")]
    [InlineData("cursor=TERFTTBBMDAwMDAwMDAwNDI", "CURSOR_INVALID")]
    public async Task BadVinQueriesAnswer400WithACode(string query, string code)
    {
        var taskId = await PublishAsync($"bad-vins-{Guid.NewGuid():N}", [Vins[0]]);
        await AssertProblemAsync(await _all.GetAsync($"/ota/open/api/task/{taskId}/vins?{query}"), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task AnUnknownTaskAnswers404()
    {
        await AssertProblemAsync(await _all.GetAsync("/ota/open/api/task/987654/vins"), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
        await AssertProblemAsync(await _all.PostAsync("/ota/open/api/task/987654/cancel", null), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
        await AssertProblemAsync(await _all.PutAsJsonAsync("/ota/open/api/task/987654/priority", new { priority = 3 }), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
        await AssertProblemAsync(await _all.GetAsync("/ota/open/api/task/987654/validation"), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
    }

    [Fact]
    public async Task CancellingVinsCancelsThoseNamedAndSaysWhyOthersWereLeft()
    {
        var taskId = await PublishAsync($"cancel-vins-{Guid.NewGuid():N}", [Vins[0], Vins[1]]);

        var response = await _all.PostAsJsonAsync($"/ota/open/api/task/{taskId}/vins/cancel", new { vins = new[] { Vins[0], Vins[3], "nope" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await JsonOf(response);
        Assert.Equal(1, answer.GetProperty("cancelled").GetInt32());
        Assert.Equal(["TASK_VIN_NOT_FOUND", "VIN_MALFORMED"],
            answer.GetProperty("notCancelled").EnumerateArray().Select(n => n.GetProperty("code").GetString()).Order());
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Cancelled'"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_audit_log", $"action = 'CancelVins' AND entity_id = '{taskId}' AND user LIKE 'api:mgmt-%'"));
    }

    [Theory]
    [InlineData("{", "MALFORMED_JSON")]
    [InlineData("{}", "FIELD_MISSING")]
    [InlineData("""{"vins": "LTESTM00000000001"}""", "FIELD_INVALID")]
    [InlineData("""{"vins": []}""", "FIELD_INVALID")]
    [InlineData("""{"vins": [1]}""", "FIELD_INVALID")]
    public async Task BadCancelBodiesAnswer400AndCancelNothing(string body, string code)
    {
        var taskId = await PublishAsync($"bad-cancel-{Guid.NewGuid():N}", [Vins[0]]);
        await AssertProblemAsync(await _all.PostAsync($"/ota/open/api/task/{taskId}/vins/cancel", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, code);
        Assert.Equal(0, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Cancelled'"));
    }

    [Fact]
    public async Task CancellingATaskCancelsItOnceThenConflicts()
    {
        var taskId = await PublishAsync($"cancel-task-{Guid.NewGuid():N}", [Vins[1]]);

        var response = await _all.PostAsync($"/ota/open/api/task/{taskId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await JsonOf(response)).GetProperty("cancelled").GetInt32());
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task", $"id = {taskId} AND status = 'Cancelled'"));
        // A stopped task cannot be cancelled: its VINs stay as the stop left them.
        var stopped = await PublishAsync($"stopped-{Guid.NewGuid():N}", [Vins[2]]);
        Assert.Equal(HttpStatusCode.OK, (await _all.PostAsync($"/ota/open/api/task/{stopped}/stop", null)).StatusCode);
        await AssertProblemAsync(await _all.PostAsync($"/ota/open/api/task/{stopped}/cancel", null), HttpStatusCode.Conflict, "TASK_STATE_CONFLICT");
    }

    [Fact]
    public async Task APriorityIsSetOnOpenTasksWithinItsRange()
    {
        var taskId = await PublishAsync($"priority-{Guid.NewGuid():N}", [Vins[3]]);

        var response = await _all.PutAsJsonAsync($"/ota/open/api/task/{taskId}/priority", new { priority = 42 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(42, (await JsonOf(response)).GetProperty("priority").GetInt32());
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task", $"id = {taskId} AND priority = 42"));
        await AssertProblemAsync(await _all.PutAsJsonAsync($"/ota/open/api/task/{taskId}/priority", new { priority = 1001 }),
            HttpStatusCode.BadRequest, "PRIORITY_INVALID");
        await AssertProblemAsync(await _all.PutAsJsonAsync($"/ota/open/api/task/{taskId}/priority", new { priority = "high" }),
            HttpStatusCode.BadRequest, "FIELD_INVALID");
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task", $"id = {taskId} AND priority = 42"));

        Assert.Equal(HttpStatusCode.OK, (await _all.PostAsync($"/ota/open/api/task/{taskId}/cancel", null)).StatusCode);
        await AssertProblemAsync(await _all.PutAsJsonAsync($"/ota/open/api/task/{taskId}/priority", new { priority = 7 }),
            HttpStatusCode.Conflict, "TASK_STATE_CONFLICT");
    }

    [Fact]
    public async Task TheValidationRunOfATaskSaysItsVerdict()
    {
        var response = await _all.PostAsJsonAsync("/ota/open/api/task/publish", new
        {
            name = $"validation-{Guid.NewGuid():N}", type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", scheduledAt = Later,
            vins = new[] { Vins[0], TestFleet.TestVin(99, 'M'), "bad" },
        });
        var taskId = (await JsonOf(response)).GetProperty("taskId").GetInt64();

        var run = await JsonOf(await _all.GetAsync($"/ota/open/api/task/{taskId}/validation"));

        Assert.Equal("Completed", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("finished").GetBoolean());
        Assert.Equal(1, run.GetProperty("accepted").GetInt32());
        Assert.Equal(2, run.GetProperty("rejected").GetInt32());
        Assert.Equal(1, run.GetProperty("rejectedByCode").GetProperty("VEHICLE_NOT_FOUND").GetInt32());
        Assert.Equal(1, run.GetProperty("rejectedByCode").GetProperty("VIN_MALFORMED").GetInt32());
    }

    [Fact]
    public async Task AVehicleIsAnsweredWithItsTimeline()
    {
        var taskId = await PublishAsync($"vehicle-{Guid.NewGuid():N}", [Vins[2]]);

        var vehicle = await JsonOf(await _all.GetAsync($"/ota/open/api/vehicle/{Vins[2].ToLowerInvariant()}"));

        Assert.Equal(Vins[2], vehicle.GetProperty("vin").GetString());
        Assert.Equal("S1-M1", vehicle.GetProperty("seriesModel").GetString());
        Assert.False(vehicle.TryGetProperty("secret", out _));
        Assert.Contains(vehicle.GetProperty("timeline").EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "Task" && e.GetProperty("taskId").GetInt64() == taskId);
        await AssertProblemAsync(await _all.GetAsync("/ota/open/api/vehicle/not-a-vin"), HttpStatusCode.BadRequest, "VIN_MALFORMED");
        await AssertProblemAsync(await _all.GetAsync($"/ota/open/api/vehicle/{TestFleet.TestVin(77, 'M')}"), HttpStatusCode.NotFound, "VEHICLE_NOT_FOUND");
    }

    [Fact]
    public async Task AKeyIsRefusedEveryCallOutsideItsScopes()
    {
        var taskId = await PublishAsync($"scopes-{Guid.NewGuid():N}", [Vins[0]]);
        using var reader = await ClientAsync("tasks:read");
        using var vehicles = await ClientAsync("vehicles:read");

        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/ota/open/api/task/{taskId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/ota/open/api/task/{taskId}/vins")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/ota/open/api/tasks")).StatusCode);
        var refused = new List<HttpResponseMessage>
        {
            await reader.PostAsJsonAsync("/ota/open/api/task/verify", new { type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", vins = new[] { Vins[0] } }),
            await reader.PostAsync($"/ota/open/api/task/{taskId}/pause", null),
            await reader.PostAsync($"/ota/open/api/task/{taskId}/cancel", null),
            await reader.PutAsJsonAsync($"/ota/open/api/task/{taskId}/priority", new { priority = 1 }),
            await reader.PutAsync("/ota/open/api/ecu-packages/CDC-3.1.5-full/file", new ByteArrayContent([1, 2, 3])),
            await reader.GetAsync($"/ota/open/api/vehicle/{Vins[0]}"),
            await vehicles.GetAsync($"/ota/open/api/task/{taskId}"),
        };
        foreach (var response in refused) await AssertProblemAsync(response, HttpStatusCode.Forbidden, "SCOPE_MISSING");
        Assert.Equal(HttpStatusCode.OK, (await vehicles.GetAsync($"/ota/open/api/vehicle/{Vins[0]}")).StatusCode);
        // Nothing the refused calls asked for happened.
        Assert.Equal(1, await fixture.Database.CountAsync("ota_task", $"id = {taskId} AND status = 'Published' AND priority = 5"));
        Assert.Equal(0, await fixture.Database.CountAsync("ota_package_file"));
    }

    [Fact]
    public async Task AKeyMadeBeforeScopesExistedHoldsThemAll()
    {
        // A row as the API key table held it before scopes: the migration's default gives it every scope.
        var key = ApiKeyHasher.Generate();
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO ota_api_key (name, key_hash, prefix, created_at, allows_diagnostic)
            VALUES ('old-{Guid.NewGuid():N}', '{key.Hash}', '{key.DisplayPrefix}', NOW(), 0)
            """);
        Assert.Equal("tasks:read tasks:write catalog:write vehicles:read",
            await fixture.Database.ScalarAsync($"SELECT scopes FROM ota_api_key WHERE key_hash = '{key.Hash}'"));

        var caller = await fixture.App.Services.GetRequiredService<ApiKeyStore>().AuthenticateAsync(key.Key);

        Assert.Equal(ApiScopes.All.ToHashSet(), caller!.Scopes);
    }
}
