using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

public sealed class VehicleEventReports(VehicleApiFixture fixture) : IClassFixture<VehicleApiFixture>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private TestFleet _fleet = null!;
    private static int _next;

    public async Task InitializeAsync()
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await _fleet.ImportDemoCatalogAsync();
        _client = fixture.App.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> VehicleAsync()
    {
        var vin = TestFleet.TestVin(Interlocked.Increment(ref _next), 'E');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin)]);
        return vin;
    }

    private static string At(int minutes) => DateTimeOffset.UtcNow.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    private static object Status(string state, int minutes, string? error = null) => new
    {
        eventId = Guid.NewGuid(), type = "UpgradeStatus", occurredAt = At(minutes), state, triggerType = "User", errorType = error,
    };

    private Task<HttpResponseMessage> ReportAsync(string vin, params object[] events) =>
        PostSignedAsync(_client, Events, vin, JsonSerializer.Serialize(new { vin, events }));

    private Task<long> Count(string table, string vin) => fixture.Database.CountAsync(table, $"vin = '{vin}'");

    [Fact]
    public async Task StoresEachTypeOfEvent()
    {
        var vin = await VehicleAsync();
        var data = "eeprom image"u8.ToArray();
        var answer = await OkJsonAsync(await ReportAsync(vin,
            new { eventId = Guid.NewGuid(), type = "DownloadProgress", occurredAt = At(-5), taskId = 7, messageId = "m-1", packageId = 3, ecuCode = "CDC", bytesDownloaded = 10, totalBytes = 100 },
            new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = At(-4), ecuCode = "CDC", step = "flashing", percent = 40 },
            new { eventId = Guid.NewGuid(), type = "UpgradeStatus", occurredAt = At(-3), state = "Upgrading", triggerType = "NormalTask", version = "3.1.5" },
            new { eventId = Guid.NewGuid(), type = "UpgradeCommand", occurredAt = At(-2), command = "ScheduleUpgrade", scheduledFor = At(60) },
            new { eventId = Guid.NewGuid(), type = "EepromClear", occurredAt = At(-1), ecuCode = "BMS", result = "OK", data = Convert.ToBase64String(data), sha256 = Convert.ToHexString(SHA256.HashData(data)) }));

        Assert.Equal(5, answer["accepted"]!.GetValue<int>());
        Assert.Equal(0, answer["duplicates"]!.GetValue<int>());
        Assert.Empty(answer["rejected"]!.AsArray());
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_download_progress",
            $"vin = '{vin}' AND task_id = 7 AND message_id = 'm-1' AND package_id = 3 AND bytes_downloaded = 10 AND total_bytes = 100"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}' AND step = 'flashing' AND percent = 40"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}' AND state = 'Upgrading' AND trigger_type = 'NormalTask' AND version = '3.1.5'"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_command", $"vin = '{vin}' AND command = 'ScheduleUpgrade' AND scheduled_for IS NOT NULL"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_eeprom_clear", $"vin = '{vin}' AND data = x'{Convert.ToHexString(data)}' AND result = 'OK'"));
        Assert.Equal(5, await Count("ota_vehicle_event_receipt", vin));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_latest_status", $"vin = '{vin}' AND state = 'Upgrading' AND trigger_type = 'NormalTask'"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{vin}' AND step = 'Decide'"));
    }

    [Fact]
    public async Task ChangesNothingForAnEventIdSeenBefore()
    {
        var vin = await VehicleAsync();
        var progress = new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = At(-1), ecuCode = "CDC", step = "verify", percent = 100 };
        var status = Status("Succeeded", 0);
        var first = await OkJsonAsync(await ReportAsync(vin, progress, status, progress));
        Assert.Equal((2, 1), (first["accepted"]!.GetValue<int>(), first["duplicates"]!.GetValue<int>()));

        var again = await OkJsonAsync(await ReportAsync(vin, status, progress));
        Assert.Equal((0, 2), (again["accepted"]!.GetValue<int>(), again["duplicates"]!.GetValue<int>()));
        Assert.Equal(1, await Count("ota_vehicle_upgrade_progress", vin));
        Assert.Equal(1, await Count("ota_vehicle_upgrade_status", vin));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{vin}' AND step = 'Decide'"));
    }

    [Fact]
    public async Task StoresReportsArrivingTogetherEachEventOnceWhicheverReportCarriesIt()
    {
        // Reports that arrive together share a transaction; the same event in several of them is still stored once.
        var vins = new List<string>();
        for (var i = 0; i < 8; i++) vins.Add(await VehicleAsync());
        var repeater = await VehicleAsync();
        var shared = Status("Downloading", -1);
        var calls = vins.Select(v => ReportAsync(v, Status("Downloading", -2), Status("Upgrading", -1),
            new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = At(0), ecuCode = "CDC", step = "flashing", percent = 10 })).ToList();
        var repeats = Enumerable.Range(0, 6).Select(i => ReportAsync(repeater, shared,
            new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = At(0), ecuCode = "CDC", step = "flashing", percent = i })).ToList();
        await Task.WhenAll(calls.Concat(repeats));

        foreach (var call in calls) Assert.Equal((3, 0), Counts(await OkJsonAsync(await call)));
        var repeated = new List<(int Accepted, int Duplicates)>();
        foreach (var call in repeats) repeated.Add(Counts(await OkJsonAsync(await call)));
        Assert.Equal(7, repeated.Sum(r => r.Accepted)); // the shared status once, each report's own progress once
        Assert.Equal(5, repeated.Sum(r => r.Duplicates));
        foreach (var vin in vins)
        {
            Assert.Equal(3, await Count("ota_vehicle_event_receipt", vin));
            Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_latest_status", $"vin = '{vin}' AND state = 'Upgrading'"));
            Assert.Equal(2, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{vin}' AND step = 'Decide'"));
        }
        Assert.Equal(1, await Count("ota_vehicle_upgrade_status", repeater));
        Assert.Equal(6, await Count("ota_vehicle_upgrade_progress", repeater));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{repeater}' AND step = 'Decide'"));

        static (int, int) Counts(System.Text.Json.Nodes.JsonObject answer) =>
            (answer["accepted"]!.GetValue<int>(), answer["duplicates"]!.GetValue<int>());
    }

    [Fact]
    public async Task RejectsBadEventsAloneAndStoresTheOthers()
    {
        var vin = await VehicleAsync();
        var answer = await OkJsonAsync(await ReportAsync(vin,
            new { eventId = Guid.NewGuid(), type = "Teleport", occurredAt = At(0) },
            Status("Downloading", 0),
            new { eventId = Guid.NewGuid(), type = "EepromClear", occurredAt = At(0), ecuCode = "BMS", result = "OK", data = "AAAA", sha256 = new string('0', 64) },
            new { eventId = Guid.NewGuid(), type = "UpgradeStatus", occurredAt = At(0), state = "Exploded", triggerType = "User" },
            new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = At(0), ecuCode = "CDC", step = "x" }));

        Assert.Equal(1, answer["accepted"]!.GetValue<int>());
        var rejected = answer["rejected"]!.AsArray().Select(r => (r!["index"]!.GetValue<int>(), r["code"]!.GetValue<string>())).ToList();
        Assert.Equal([(0, "EVENT_TYPE_UNKNOWN"), (2, "INTEGRITY_FAILED"), (3, "ENUM_VALUE_UNKNOWN"), (4, "FIELD_MISSING")], rejected);
        Assert.All(answer["rejected"]!.AsArray(), r => Assert.False(string.IsNullOrEmpty(r!["detail"]!.GetValue<string>())));
        Assert.Equal(1, await Count("ota_vehicle_upgrade_status", vin));
        Assert.Equal(0, await Count("ota_vehicle_eeprom_clear", vin));
        Assert.Equal(1, await Count("ota_vehicle_event_receipt", vin));
    }

    [Theory]
    [InlineData("{ not json", "MALFORMED_JSON")]
    [InlineData("""{"events": []}""", "VIN_MISSING")]
    [InlineData("""{"vin": "@VIN"}""", "EVENTS_MISSING")]
    [InlineData("""{"vin": "@VIN", "events": {}}""", "INVALID_REQUEST")]
    [InlineData("""{"vin": "LTESTE99999999999", "events": [@EVENT]}""", "VIN_MISMATCH")]
    public async Task AnswersBadRequestsWith400AndStoresNothing(string body, string code)
    {
        var vin = await VehicleAsync();
        var evt = JsonSerializer.Serialize(Status("Downloading", 0));
        var response = await PostSignedAsync(_client, Events, vin, body.Replace("@VIN", vin).Replace("@EVENT", evt));
        Assert.Equal(code, (await ProblemAsync(response, HttpStatusCode.BadRequest)).Code);
        Assert.Equal(0, await Count("ota_vehicle_event_receipt", vin));
        Assert.Equal(0, await Count("ota_vehicle_upgrade_status", vin));
    }

    [Fact]
    public async Task LeavesNothingOfAReportWhoseWriteFailsHalfWayAndTakesItWhenResent()
    {
        // The receipts and the progress are written before the status; a trigger refuses the status of this one VIN.
        var vin = await VehicleAsync();
        var other = await VehicleAsync();
        var events = new[]
        {
            new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = At(-1), ecuCode = "CDC", step = "verify", percent = 100 },
        }.Cast<object>().Append(Status("Downloading", 0)).ToArray();
        await fixture.Database.ExecuteAsync($"""
            CREATE TRIGGER test_refuse_status BEFORE INSERT ON ota_vehicle_upgrade_status FOR EACH ROW
            IF NEW.vin = '{vin}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF
            """);
        try
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await ReportAsync(vin, events)).StatusCode);
        }
        finally
        {
            await fixture.Database.ExecuteAsync("DROP TRIGGER test_refuse_status");
        }
        // Another report on the same pooled connections: a transaction left open would be committed by its start.
        await OkJsonAsync(await ReportAsync(other, Status("Downloading", 0)));
        Assert.Equal(0, await Count("ota_vehicle_event_receipt", vin));
        Assert.Equal(0, await Count("ota_vehicle_upgrade_progress", vin));

        var resent = await OkJsonAsync(await ReportAsync(vin, events));
        Assert.Equal((2, 0), (resent["accepted"]!.GetValue<int>(), resent["duplicates"]!.GetValue<int>()));
        Assert.Equal(1, await Count("ota_vehicle_upgrade_progress", vin));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{vin}' AND step = 'Decide'"));
    }

    [Fact]
    public async Task KeepsTheNewestStatusAsTheLatestWhateverTheOrderOfArrival()
    {
        var vin = await VehicleAsync();
        await OkJsonAsync(await ReportAsync(vin, Status("Succeeded", 0)));
        await OkJsonAsync(await ReportAsync(vin, Status("Upgrading", -10)));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_latest_status", $"vin = '{vin}' AND state = 'Succeeded'"));

        await OkJsonAsync(await ReportAsync(vin, Status("Failed", 5, "UpgradeFailed"), Status("Downloading", 1)));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_latest_status", $"vin = '{vin}' AND state = 'Failed' AND error_type = 'UpgradeFailed'"));
        Assert.Equal(4, await Count("ota_vehicle_upgrade_status", vin));
    }

    [Fact]
    public async Task RefusesAWrongSignatureBeforeStoringAnything()
    {
        var vin = await VehicleAsync();
        var body = JsonSerializer.Serialize(new { vin, events = new[] { Status("Downloading", 0) } });
        var response = await PostSignedAsync(_client, Events, vin, body, secret: "guess");
        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(response, HttpStatusCode.Unauthorized)).Code);
        Assert.Equal(0, await Count("ota_vehicle_event_receipt", vin));
    }
}
