using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Web.Tests.Apis.Ddi;

/// <summary>
/// The app on a real Kestrel socket with the demo catalog and its stored files, and helpers for DDI devices: vehicles
/// taken as <c>updateClient Ddi</c> with their tokens, tasks published through validation and pushed as the push job does.
/// </summary>
public class DdiFixture : AppFixture
{
    public const string Tenant = "DEFAULT";

    public string BaseUrl { get; private set; } = "";

    public const string GatewayToken = "gateway-token-of-the-test-tenant-0123";

    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["VehicleApi:CatalogCheckInterval"] = "00:00:00";
        app.Settings["Ddi:PollingSleep"] = "00:00:02";
        app.Settings["Ddi:GatewayToken"] = GatewayToken;
        // What no change announces (the follow-up's move to Succeeded, for installedBase) within a second.
        app.Settings["Ddi:CacheFor"] = "00:00:01";
        // Many calls per test from one "device": the limits are not what is tested here.
        app.Settings["RateLimits:VehiclePerSecond"] = "1000";
        app.Settings["RateLimits:VehicleBurst"] = "1000";
    }

    protected override async Task StartAsync(OtaAppFactory app)
    {
        BaseUrl = app.StartOnLoopback();
        await new TestFleet(app.Services, Database).ImportDemoCatalogAsync();
        await app.Services.GetRequiredService<DemoFiles>().StoreMissingAsync(CancellationToken.None);
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>S1-M1 vehicles at 3.1.4 that take their updates through DDI, each with a fresh token; (VIN, token).</summary>
    public async Task<(string Vin, string Token)[]> DevicesAsync(char letter, int count, UpdateClient client = UpdateClient.Ddi)
    {
        var fleet = new TestFleet(App.Services, Database);
        var vins = Enumerable.Range(1, count).Select(n => TestFleet.TestVin(n, letter)).ToArray();
        var template = await fleet.VehicleAsync(vins[0]);
        await fleet.AddVehiclesAsync(vins.Select(v => template with { Vin = v, UpdateClient = client }));
        var devices = new List<(string, string)>();
        foreach (var vin in vins) devices.Add((vin, (await Get<DdiTokens>().IssueAsync(vin, CancellationToken.None))!.Value.Token));
        return [.. devices];
    }

    /// <summary>A Normal (or other) task (S1-M1 to 3.1.5 unless told) for the VINs, validated, published and pushed.</summary>
    public async Task<long> PublishAndPushAsync(IEnumerable<string> vins, TaskType type = TaskType.Normal, string seriesModel = "S1-M1",
        string target = "3.1.5")
    {
        var fleet = new TestFleet(App.Services, Database);
        var request = new ValidationRequest(type, TaskSource.Console, await fleet.SeriesModelIdAsync(seriesModel), target, "test")
        {
            Task = new TaskSpec($"DDI {type} {Guid.NewGuid():N}"[..20], 0, null),
            PublishWhenDone = true,
        };
        var progress = await Get<TaskValidationService>().ValidateNowAsync(request, vins);
        if (progress.Status != ValidationRunStatus.Completed)
            throw new InvalidOperationException($"validation ended {progress.Status}: {string.Join(' ', progress.TaskCodes)} {progress.Error}");
        var taskId = progress.TaskId!.Value;
        await Eventually.WaitUntilAsync(async () =>
        {
            await Get<PushWorker>().RunAsync(CancellationToken.None);
            return await Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending'") == 0;
        }, TimeSpan.FromSeconds(30), $"task {taskId} pushed");
        return taskId;
    }

    public Task CancelAsync(long taskId, params string[] vins) => Get<TaskOperations>().CancelVinsAsync(taskId, vins, "test");

    public HttpClient Device(string token, string scheme = "TargetToken")
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return client;
    }

    public static string Root(string vin) => $"/{Tenant}/controller/v1/{vin}";

    public async Task<string?> StateAsync(long taskId, string vin)
    {
        await using var connection = new MySqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT state FROM ota_task_vin WHERE task_id = @t AND vin = @v", connection);
        command.Parameters.AddWithValue("@t", taskId);
        command.Parameters.AddWithValue("@v", vin);
        return await command.ExecuteScalarAsync() as string;
    }

    public Task WaitForStateAsync(long taskId, string vin, string state) => Eventually.WaitUntilAsync(
        async () => await StateAsync(taskId, vin) == state, TimeSpan.FromSeconds(30), $"task-VIN {taskId}/{vin} {state}");
}
