using System.Text.Json;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

/// <summary>Every report in a transaction of its own, several at once: reports of the same event race each other.</summary>
public sealed class OneReportPerTransactionFixture : VehicleApiFixture
{
    protected override void Configure(OtaAppFactory app)
    {
        base.Configure(app);
        app.Settings["VehicleApi:ReportBatchSize"] = "1";
        app.Settings["VehicleApi:ReportWriters"] = "6";
    }
}

public sealed class VehicleEventRaces(OneReportPerTransactionFixture fixture) : IClassFixture<OneReportPerTransactionFixture>
{
    [Fact]
    public async Task StoresAnEventReportedInSeveralReportsAtOnceExactlyOnce()
    {
        var fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await fleet.ImportDemoCatalogAsync();
        var client = fixture.App.CreateClient();
        var vin = TestFleet.TestVin(1, 'R');
        await fleet.AddVehiclesAsync([await fleet.VehicleAsync(vin)]);

        for (var round = 0; round < 5; round++)
        {
            var shared = new { eventId = Guid.NewGuid(), type = "UpgradeStatus", occurredAt = DateTimeOffset.UtcNow.ToString("O"), state = "Downloading", triggerType = "User" };
            var calls = Enumerable.Range(0, 6).Select(_ => PostSignedAsync(client, Events, vin, JsonSerializer.Serialize(new { vin, events = new[] { shared } }))).ToList();
            var answers = new List<(int Accepted, int Duplicates)>();
            foreach (var call in calls)
            {
                var answer = await OkJsonAsync(await call);
                answers.Add((answer["accepted"]!.GetValue<int>(), answer["duplicates"]!.GetValue<int>()));
            }
            Assert.Equal((1, 5), (answers.Sum(a => a.Accepted), answers.Sum(a => a.Duplicates)));
        }
        Assert.Equal(5, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}'"));
        Assert.Equal(5, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{vin}' AND step = 'Decide'"));
    }
}
