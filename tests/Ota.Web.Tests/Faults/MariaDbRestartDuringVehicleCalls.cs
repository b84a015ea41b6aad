using System.Net;
using System.Text.Json;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Faults;

/// <summary>
/// The vehicle API keeps its database connections pooled without a reset, so nothing checks them before use: after a
/// database restart every pooled one is dead. Vehicles must not see that.
/// </summary>
public sealed class MariaDbRestartDuringVehicleCalls(PrivateMariaDbAppFixture fixture) : IClassFixture<PrivateMariaDbAppFixture>
{
    [Fact]
    public async Task EveryCallAfterTheDatabaseRestartedIsAnsweredAtTheFirstTry()
    {
        var fleet = new TestFleet(fixture.App.Services);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, 24).Select(n => TestFleet.TestVin(n, 'B')).ToArray();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        using var client = fixture.App.CreateClient();

        // Calls at once fill the pool with connections; then the database restarts under them.
        await AllAnsweredAsync(client, vins);
        await fixture.Server.StopAsync();
        await fixture.Server.StartAsync();
        await AllAnsweredAsync(client, vins);
        await AllAnsweredAsync(client, vins);
    }

    private static async Task AllAnsweredAsync(HttpClient client, string[] vins)
    {
        var calls = vins.SelectMany(vin => new[]
        {
            AskAsync(client, vin, "3.1.4", "3.1.5"),
            PostSignedAsync(client, Events, vin, JsonSerializer.Serialize(new
            {
                vin,
                events = new[] { new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = DateTimeOffset.UtcNow.ToString("O"), ecuCode = "CDC", step = "flash", percent = 10 } },
            })),
        }).ToList();
        var answers = await Task.WhenAll(calls);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
    }
}
