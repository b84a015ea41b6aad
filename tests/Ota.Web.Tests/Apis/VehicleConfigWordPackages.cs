using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Documents;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

/// <summary>An OTA1 series-model whose variant supports config words (its own database: the variant changes every S2-M1 vehicle).</summary>
public sealed class VehicleConfigWordPackages(VehicleApiFixture fixture) : IClassFixture<VehicleApiFixture>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private TestFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0)
        {
            await _fleet.ImportDemoCatalogAsync();
            await fixture.App.Services.GetRequiredService<IDocumentStore>().PutAsync(DocumentCollections.Variants, "S2-M1",
                """{"seriesModel": "S2-M1", "supportsConfigWord": true, "ignoreRules": [{"configWordContains": "NOBCM", "ecus": ["BCM"]}]}""");
        }
        _client = fixture.App.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("CW-SUV-NOBCM", new[] { "VCU", "CDC", "TBOX" })]
    [InlineData("CW-SUV-FULL", new[] { "VCU", "CDC", "TBOX", "BCM" })]
    public async Task LeavesOutTheEcusTheConfigWordIgnores(string configWord, string[] ecus)
    {
        var vin = TestFleet.TestVin(configWord.Length, 'W');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin, v => v with { ConfigWord = configWord }, "S2-M1")]);
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"));
        Assert.Equal(ecus, json["ecus"]!.AsArray().Select(e => e!["ecuCode"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(1, ecus.Length), json["ecus"]!.AsArray().Select(e => e!["order"]!.GetValue<int>()));
    }
}
