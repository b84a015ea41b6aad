using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Push;
using Ota.Simulator;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Simulator;

/// <summary>What the signing tests do through the app: vehicles, a task published and pushed, the published keys.</summary>
internal sealed class SignedWorld(AppFixture fixture)
{
    private readonly TestFleet _fleet = new(fixture.App.Services, fixture.Database);

    public async Task InitializeAsync()
    {
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await _fleet.ImportDemoCatalogAsync();
    }

    /// <summary>Vehicles on firmware 3.1.4 of S1-M1, as the simulator knows them.</summary>
    public async Task<Dictionary<string, SimulatedVehicle>> VehiclesAsync(char letter, int count)
    {
        var rows = await Task.WhenAll(Enumerable.Range(1, count).Select(n => _fleet.VehicleAsync(TestFleet.TestVin(n, letter))));
        await _fleet.AddVehiclesAsync(rows);
        return rows.ToDictionary(r => r.Vin, r => new SimulatedVehicle(r.Vin, "S1-M1", r.FirmwareVersion, r.Secret!));
    }

    /// <summary>Publishes a task to 3.1.5 through the open API and runs the push: each vehicle gets its notice.</summary>
    public async Task<long> PublishAndPushAsync(OtaAppFactory app, params string[] vins)
    {
        var (_, key) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync($"signed-{Guid.NewGuid():N}"[..30]);
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Add("X-Api-Key", key);
        var publish = await api.PostAsJsonAsync("/ota/open/api/task/publish", new
        {
            name = "signed", type = "Normal", seriesModel = "S1-M1", targetVersion = "3.1.5", vins,
        });
        var published = JsonDocument.Parse(await publish.Content.ReadAsStringAsync()).RootElement;
        Assert.True(publish.IsSuccessStatusCode, published.ToString());
        Assert.Equal(vins.Length, published.GetProperty("accepted").GetInt32());
        await app.Services.GetRequiredService<TaskPushJob>().WorkAsync(CancellationToken.None);
        return published.GetProperty("taskId").GetInt64();
    }

    /// <summary>GET /api/vehicle/v1/signing-keys on <paramref name="app"/>, asked by <paramref name="vin"/>.</summary>
    public static async Task<PublishedSigningKeys> PublishedKeysAsync(OtaAppFactory app, string vin)
    {
        using var client = app.CreateClient();
        var response = await SigningKeysAsync(client, vin);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(SigningKeyJsonContext.Default.PublishedSigningKeys))!;
    }
}
