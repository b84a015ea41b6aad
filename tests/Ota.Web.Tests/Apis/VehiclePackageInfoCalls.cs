using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

/// <summary>The app with the catalog stamp checked on every call, so a test's catalog change is seen at once.</summary>
public class VehicleApiFixture : AppFixture
{
    protected override void Configure(OtaAppFactory app) => app.Settings["VehicleApi:CatalogCheckInterval"] = "00:00:00";
}

public sealed class VehiclePackageInfoCalls(VehicleApiFixture fixture) : IClassFixture<VehicleApiFixture>, IAsyncLifetime
{
    private HttpClient _client = null!;
    private TestFleet _fleet = null!;
    private static int _next;

    private static string NewVin(char letter = 'V') => TestFleet.TestVin(Interlocked.Increment(ref _next), letter);

    public async Task InitializeAsync()
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await _fleet.ImportDemoCatalogAsync();
        _client = fixture.App.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> VehicleAsync(Func<Ota.Infrastructure.Fleet.VehicleRow, Ota.Infrastructure.Fleet.VehicleRow>? change = null,
        string seriesModel = "S1-M1", string? vin = null)
    {
        vin ??= NewVin();
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin, change, seriesModel)]);
        return vin;
    }

    private static string[] EcuCodes(JsonObject json) => json["ecus"]!.AsArray().Select(e => e!["ecuCode"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task ServesTheSeriesModelDefaultStrategyAndTheDeltaWhenOneLeadsFromTheCurrentVersion()
    {
        var vin = await VehicleAsync();
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"));

        Assert.Equal("SeriesModelDefault", json["strategy"]!["source"]!.GetValue<string>());
        Assert.Equal("S1-M1 standard", json["strategy"]!["name"]!.GetValue<string>());
        Assert.Equal("OTA1", json["generation"]!.GetValue<string>());
        Assert.Equal("Delta", json["packageType"]!.GetValue<string>());
        Assert.False(json["compareVersion"]!.GetValue<bool>()); // Auto: a delta is not compared
        Assert.Equal(["CDC", "BMS", "ADCU", "VCU", "TBOX"], EcuCodes(json));
        var cdc = json["ecus"]![0]!;
        Assert.Equal(("3.1.4", "3.1.5", "cdc-3.1.4-3.1.5.diff", 1), (cdc["fromVersion"]!.GetValue<string>(), cdc["version"]!.GetValue<string>(),
            cdc["fileName"]!.GetValue<string>(), cdc["order"]!.GetValue<int>()));
        Assert.Null(json["ecus"]![3]!["fromVersion"]); // VCU has no delta: its full package is in the delta package
        await using (var db = fixture.Database.NewContext())
        {
            // The texts come from the full package even when the delta is served.
            var full = db.TotalFullPackages.Single(p => p.Version == "3.1.5" && p.SeriesModelId == db.SeriesModels.Single(s => s.Code == "S1-M1").Id);
            Assert.Equal((full.UpgradePrompt, full.UpgradeResult), (json["upgradePrompt"]!.GetValue<string>(), json["upgradeResult"]!.GetValue<string>()));
        }
        Assert.Null(json["taskId"]);
        Assert.Equal(vin, json["vin"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServesTheFullPackageComparedWhenNoDeltaLeadsFromTheCurrentVersion()
    {
        var vin = await VehicleAsync();
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.3", "3.1.5"));

        Assert.Equal("Full", json["packageType"]!.GetValue<string>());
        Assert.True(json["compareVersion"]!.GetValue<bool>()); // Auto: full and current ≠ target
        Assert.Equal("cdc-3.1.5.bin", json["ecus"]![0]!["fileName"]!.GetValue<string>());
        Assert.Equal("3.1.3", json["fromVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task DoesNotCompareAFullPackageOfTheSameVersionWhenTheVehicleMayTakeIt()
    {
        var vin = await VehicleAsync();
        await _fleet.AddToListAsync(VehicleListKind.WhitelistSameVersion, vin);
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.5", "3.1.5"));

        Assert.Equal("Full", json["packageType"]!.GetValue<string>());
        Assert.False(json["compareVersion"]!.GetValue<bool>()); // Auto: current = target
    }

    [Fact]
    public async Task ServesTheVehiclesOwnStrategyOverTheDefault()
    {
        // The demo catalog relates this VIN to "S1-M1 full, cockpit and battery only" (Full, Compare).
        var vin = await VehicleAsync(vin: "LDEM0A00000000020");
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"));

        Assert.Equal("Vin", json["strategy"]!["source"]!.GetValue<string>());
        Assert.Equal("S1-M1 full, cockpit and battery only", json["strategy"]!["name"]!.GetValue<string>());
        Assert.Equal("Full", json["packageType"]!.GetValue<string>()); // the strategy asks for full although a delta exists
        Assert.True(json["compareVersion"]!.GetValue<bool>()); // Compare
        Assert.Equal(["CDC", "BMS"], EcuCodes(json));
    }

    [Fact]
    public async Task ServesASamplingTasksOwnStrategy()
    {
        var vin = await VehicleAsync(v => v with { Sold = false, Activated = false, LifecycleStatus = LifecycleStatus.InStock });
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Sampling, "S1-M1", "3.1.5", [vin]);
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5", taskId));

        Assert.Equal("Task", json["strategy"]!["source"]!.GetValue<string>());
        Assert.Null(json["strategy"]!["id"]);
        Assert.Equal(taskId, json["taskId"]!.GetValue<long>());
        Assert.Equal("Full", json["packageType"]!.GetValue<string>());
        Assert.False(json["compareVersion"]!.GetValue<bool>()); // NoCompare
        Assert.Equal(["CDC", "BMS", "ADCU", "VCU", "TBOX"], EcuCodes(json)); // the default strategy's ECUs
    }

    [Fact]
    public async Task FindsTheNewestNotifiedTaskWhenTheVehicleNamesNone()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"));
        Assert.Equal(taskId, json["taskId"]!.GetValue<long>());
    }

    [Fact]
    public async Task ReturnsThePackageKeyUnwrappedAndStoresTheAnswerBeforeReturningIt()
    {
        var vin = await VehicleAsync();
        var json = await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"));

        Assert.Equal("AES-256-GCM", json["encryption"]!["algorithm"]!.GetValue<string>());
        var packageId = json["packageId"]!.GetValue<long>();
        await using (var db = fixture.Database.NewContext())
        {
            var wrapped = db.TotalDeltaPackages.Single(p => p.Id == packageId).WrappedKey!;
            var key = fixture.App.Services.GetRequiredService<IKeyService>().Unwrap(wrapped);
            Assert.Equal(Convert.ToBase64String(key), json["encryption"]!["key"]!.GetValue<string>());
            Assert.DoesNotContain(json["encryption"]!["key"]!.GetValue<string>(), wrapped);
        }

        var id = json["descriptionId"]!.GetValue<string>();
        var stored = await fixture.App.Services.GetRequiredService<IDocumentStore>().GetAsync(DocumentCollections.PackageDescriptions, id);
        Assert.NotNull(stored);
        Assert.True(JsonNode.DeepEquals(json, JsonNode.Parse(stored)), stored);
    }

    [Fact]
    public async Task KeepsOnlyTheOta2EcusTheStrategyUpgrades()
    {
        var vin = await VehicleAsync(seriesModel: "S1-M2");
        var json = await OkJsonAsync(await AskAsync(_client, vin, "4.2.0", "4.2.1"));

        Assert.Equal("OTA2", json["generation"]!.GetValue<string>());
        Assert.Equal("Delta", json["packageType"]!.GetValue<string>());
        Assert.False(json["compareVersion"]!.GetValue<bool>());
        Assert.Equal(["CDC", "BMS", "ADCU"], EcuCodes(json)); // TBOX has is_upgrade = 0 in "S1-M2 standard"
        Assert.StartsWith("Baseline 4.2.1", json["baselineDescription"]!.GetValue<string>());

        var full = await OkJsonAsync(await AskAsync(_client, vin, "4.1.9", "4.2.1"));
        Assert.Equal("Full", full["packageType"]!.GetValue<string>());
        Assert.True(full["compareVersion"]!.GetValue<bool>());
        Assert.Equal(["CDC", "BMS", "ADCU"], EcuCodes(full));
    }

    public static TheoryData<string> IneligibleCases =>
    [
        "PKG_NOT_FOUND", "PKG_NOT_RELEASED", "BASELINE_DESC_MISSING", "BASELINE_NOT_FORMAL", "VERSION_INVALID",
        "STRATEGY_ECU_ORDER_MISSING", "SERIES_MODEL_MISMATCH", "STATUS_NOT_ALLOWED", "BLACKLISTED", "USAGE_MISMATCH",
        "FIRMWARE_UNKNOWN", "UPGRADE_IN_PROGRESS", "SAME_VERSION_NOT_WHITELISTED", "DOWNGRADE_NOT_WHITELISTED",
        "CONFIG_WORD_MISSING", "TARGET_VERSION_MISMATCH",
    ];

    [Theory]
    [MemberData(nameof(IneligibleCases))]
    public async Task AnswersEachIneligibleCaseWith422AndItsCodes(string code)
    {
        var (response, expected) = code switch
        {
            "PKG_NOT_FOUND" => (await AskAsync(_client, await VehicleAsync(), "3.1.4", "3.1.9"), new[] { code }),
            "PKG_NOT_RELEASED" => (await AskAsync(_client, await VehicleAsync(), "3.1.4", "3.1.6"), [code]),
            "BASELINE_DESC_MISSING" => (await AskAsync(_client, await VehicleAsync(seriesModel: "S1-M2"), "4.2.0", "4.2.2"), [code]),
            "BASELINE_NOT_FORMAL" => await DeliveryOfAnInformalBaselineAsync(),
            "VERSION_INVALID" => (await AskAsync(_client, await VehicleAsync(), "3.1.4", "3.5.1"), [code]),
            "STRATEGY_ECU_ORDER_MISSING" => (await AskAsync(_client, await VehicleAsync(seriesModel: "S3-M1"), "3.1.4", "3.1.5"), [code]),
            "SERIES_MODEL_MISMATCH" => await TaskOfAnotherSeriesModelAsync(),
            "STATUS_NOT_ALLOWED" => await FactoryTaskForAVehicleInStockAsync(),
            "BLACKLISTED" => (await AskAsync(_client, await ListedAsync(VehicleListKind.Blacklist), "3.1.4", "3.1.5"), [code]),
            "USAGE_MISMATCH" => (await AskAsync(_client, await VehicleAsync(v => v with { Sold = false, LifecycleStatus = LifecycleStatus.InStock }), "3.1.4", "3.1.5"), [code]),
            "FIRMWARE_UNKNOWN" => (await AskAsync(_client, await VehicleAsync(), "0", "3.1.5"), [code]),
            "UPGRADE_IN_PROGRESS" => (await AskAsync(_client, await UpgradingAsync(), "3.1.4", "3.1.5"), [code]),
            "SAME_VERSION_NOT_WHITELISTED" => (await AskAsync(_client, await VehicleAsync(), "3.1.5", "3.1.5"), [code]),
            "DOWNGRADE_NOT_WHITELISTED" => (await AskAsync(_client, await VehicleAsync(), "3.1.6", "3.1.5"), [code]),
            "CONFIG_WORD_MISSING" => (await AskAsync(_client, await VehicleAsync(v => v with { ConfigWord = null }, "S1-M2"), "4.2.0", "4.2.1"), [code]),
            "TARGET_VERSION_MISMATCH" => await TaskOfAnotherTargetAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(code)),
        };
        var (first, codes) = await ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(expected[0], first);
        Assert.Equal(expected, codes);
    }

    [Fact]
    public async Task AnswersStrategyDefaultMissingWhileTheSeriesModelHasNoDefault()
    {
        var vin = await VehicleAsync(seriesModel: "S2-M1");
        var seriesModelId = await _fleet.SeriesModelIdAsync("S2-M1");
        await fixture.Database.ExecuteAsync($"UPDATE ota_upgrade_strategy_veh_relation SET is_default = 0 WHERE series_model_id = {seriesModelId}");
        try
        {
            var (code, codes) = await ProblemAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"), HttpStatusCode.UnprocessableEntity);
            Assert.Equal("STRATEGY_DEFAULT_MISSING", code);
            Assert.Equal(["STRATEGY_DEFAULT_MISSING"], codes);
        }
        finally
        {
            await fixture.Database.ExecuteAsync($"UPDATE ota_upgrade_strategy_veh_relation SET is_default = 1 WHERE series_model_id = {seriesModelId}");
        }
        // The catalog cache notices the change back (its stamp comes from the data).
        await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5"));
    }

    [Fact]
    public async Task ListsEveryCodeThatApplies()
    {
        var vin = await VehicleAsync(v => v with { Sold = false, LifecycleStatus = LifecycleStatus.InStock });
        await _fleet.AddToListAsync(VehicleListKind.Blacklist, vin);
        var (code, codes) = await ProblemAsync(await AskAsync(_client, vin, "3.1.6", "3.1.6"), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("PKG_NOT_RELEASED", code);
        Assert.Equal(["PKG_NOT_RELEASED", "BLACKLISTED", "USAGE_MISMATCH", "SAME_VERSION_NOT_WHITELISTED"], codes);
    }

    [Fact]
    public async Task AnswersEachOfManyCallsArrivingTogetherAboutItsOwnVehicle()
    {
        // Calls that arrive together share one read of the database: each must still get its own vehicle's answer.
        var plain = new List<string>();
        for (var i = 0; i < 12; i++) plain.Add(await VehicleAsync());
        var blacklisted = await ListedAsync(VehicleListKind.Blacklist);
        var owner = await VehicleAsync(vin: "LDEM0A00000000020"); // its own strategy: Full, CDC and BMS only
        var tasked = await VehicleAsync();
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Normal, "S1-M1", "3.1.5", [tasked]);
        var other = await VehicleAsync();

        var calls = new List<(string Vin, Task<HttpResponseMessage> Answer)>();
        foreach (var vin in plain) calls.Add((vin, AskAsync(_client, vin, "3.1.4", "3.1.5")));
        calls.Add((blacklisted, AskAsync(_client, blacklisted, "3.1.4", "3.1.5")));
        calls.Add((owner, AskAsync(_client, owner, "3.1.4", "3.1.5")));
        calls.Add((tasked, AskAsync(_client, tasked, "3.1.4", "3.1.5", taskId)));
        calls.Add((tasked, AskAsync(_client, tasked, "3.1.3", "3.1.5")));
        calls.Add((other, AskAsync(_client, other, "3.1.4", "3.1.5", taskId)));
        await Task.WhenAll(calls.Select(c => c.Answer));

        foreach (var (vin, answer) in calls.Take(plain.Count))
        {
            var json = await OkJsonAsync(await answer);
            Assert.Equal((vin, "Delta", "SeriesModelDefault"),
                (json["vin"]!.GetValue<string>(), json["packageType"]!.GetValue<string>(), json["strategy"]!["source"]!.GetValue<string>()));
        }
        Assert.Equal("BLACKLISTED", (await ProblemAsync(await calls[12].Answer, HttpStatusCode.UnprocessableEntity)).Code);
        var own = await OkJsonAsync(await calls[13].Answer);
        Assert.Equal(("Vin", "Full", owner), (own["strategy"]!["source"]!.GetValue<string>(), own["packageType"]!.GetValue<string>(), own["vin"]!.GetValue<string>()));
        Assert.Equal(taskId, (await OkJsonAsync(await calls[14].Answer))["taskId"]!.GetValue<long>());
        var fromOlder = await OkJsonAsync(await calls[15].Answer);
        Assert.Equal(("Full", "3.1.3"), (fromOlder["packageType"]!.GetValue<string>(), fromOlder["fromVersion"]!.GetValue<string>()));
        Assert.Equal("TASK_VIN_NOT_FOUND", (await ProblemAsync(await calls[16].Answer, HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task AnswersTaskVinNotFoundForATaskThatDoesNotHoldTheVin()
    {
        var vin = await VehicleAsync();
        var other = await VehicleAsync();
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Normal, "S1-M1", "3.1.5", [other]);
        var (code, _) = await ProblemAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5", taskId), HttpStatusCode.NotFound);
        Assert.Equal("TASK_VIN_NOT_FOUND", code);
        var (missing, _) = await ProblemAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5", 987654), HttpStatusCode.NotFound);
        Assert.Equal("TASK_VIN_NOT_FOUND", missing);
    }

    [Theory]
    [InlineData("{ not json", "MALFORMED_JSON")]
    [InlineData("[1]", "INVALID_REQUEST")]
    [InlineData("""{"currentVersion": "3.1.4", "targetVersion": "3.1.5"}""", "VIN_MISSING")]
    [InlineData("""{"vin": "LTESTV99999999999", "currentVersion": "3.1.4", "targetVersion": "3.1.5"}""", "VIN_MISMATCH")]
    [InlineData("""{"vin": "@VIN", "targetVersion": "3.1.5"}""", "FIELD_MISSING")]
    [InlineData("""{"vin": "@VIN", "currentVersion": "3.1.4", "targetVersion": 315}""", "FIELD_INVALID")]
    [InlineData("""{"vin": "@VIN", "currentVersion": "three", "targetVersion": "3.1.5"}""", "FIELD_INVALID")]
    [InlineData("""{"vin": "@VIN", "currentVersion": "3.1.4", "targetVersion": "3.1.5", "taskId": "42"}""", "FIELD_INVALID")]
    public async Task AnswersMalformedRequestsWith400AndStoresNothing(string body, string code)
    {
        var vin = await VehicleAsync();
        var before = await fixture.Database.CountAsync("ota_document", "collection = 'package_descriptions'");
        var response = await PostSignedAsync(_client, PackageInfo, vin, body.Replace("@VIN", vin));
        Assert.Equal(code, (await ProblemAsync(response, HttpStatusCode.BadRequest)).Code);
        Assert.Equal(before, await fixture.Database.CountAsync("ota_document", "collection = 'package_descriptions'"));
    }

    [Fact]
    public async Task RefusesABodyOverTheLimit()
    {
        var vin = await VehicleAsync();
        var body = $$"""{"vin": "{{vin}}", "currentVersion": "3.1.4", "targetVersion": "3.1.5", "pad": "{{new string('x', 20_000)}}"}""";
        Assert.Equal("BODY_TOO_LARGE", (await ProblemAsync(await PostSignedAsync(_client, PackageInfo, vin, body), HttpStatusCode.BadRequest)).Code);
    }

    [Fact]
    public async Task AnswersUnsignedWronglySignedSkewedAndUnknownCallsWith401()
    {
        var vin = await VehicleAsync();
        var body = $$"""{"vin": "{{vin}}", "currentVersion": "3.1.4", "targetVersion": "3.1.5"}""";

        var unsigned = await _client.PostAsync(PackageInfo, new StringContent(body));
        Assert.Equal("SIGNATURE_MISSING", (await ProblemAsync(unsigned, HttpStatusCode.Unauthorized)).Code);
        var wrongSecret = await PostSignedAsync(_client, PackageInfo, vin, body, secret: "not-the-secret");
        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(wrongSecret, HttpStatusCode.Unauthorized)).Code);
        var skewed = await PostSignedAsync(_client, PackageInfo, vin, body, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301);
        Assert.Equal("TIMESTAMP_SKEWED", (await ProblemAsync(skewed, HttpStatusCode.Unauthorized)).Code);
        var unknown = NewVin();
        var stranger = await PostSignedAsync(_client, PackageInfo, unknown, body.Replace(vin, unknown));
        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(stranger, HttpStatusCode.Unauthorized)).Code);
        // Signed for one VIN with another VIN's secret: the signature is checked against the header VIN's secret.
        var other = await VehicleAsync();
        var borrowed = await PostSignedAsync(_client, PackageInfo, vin, body, secret: SecretOf(other));
        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(borrowed, HttpStatusCode.Unauthorized)).Code);
        // Within the skew, signed right: served.
        await OkJsonAsync(await PostSignedAsync(_client, PackageInfo, vin, body, timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 250));
    }

    [Fact]
    public async Task AcceptsANewSecretAtOnceAfterItIsChanged()
    {
        var vin = await VehicleAsync();
        await OkJsonAsync(await AskAsync(_client, vin, "3.1.4", "3.1.5")); // caches the old secret
        await Task.Delay(1100);
        // Written as an import would, without telling the instances: the failed signature makes it look again.
        var wrapped = fixture.App.Services.GetRequiredService<VehicleSecretWrapping>().Wrap($"rotated-{vin}");
        await fixture.Database.ExecuteAsync($"UPDATE ota_vehicle SET secret = '{wrapped}' WHERE vin = '{vin}'");
        var body = $$"""{"vin": "{{vin}}", "currentVersion": "3.1.4", "targetVersion": "3.1.5"}""";
        await OkJsonAsync(await PostSignedAsync(_client, PackageInfo, vin, body, secret: $"rotated-{vin}"));
    }

    private async Task<string> ListedAsync(VehicleListKind kind)
    {
        var vin = await VehicleAsync();
        await _fleet.AddToListAsync(kind, vin);
        return vin;
    }

    private async Task<string> UpgradingAsync()
    {
        var vin = await VehicleAsync();
        await _fleet.SetLatestStatusAsync(vin, TriggerType.NormalTask, UpgradeState.Upgrading);
        return vin;
    }

    private async Task<(HttpResponseMessage, string[])> DeliveryOfAnInformalBaselineAsync()
    {
        var vin = await VehicleAsync(v => v with { Sold = false, Activated = false, LifecycleStatus = LifecycleStatus.CertificatePrinted }, "S1-M2");
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Delivery, "S1-M2", "4.2.1", [vin], generation: Generation.OTA2);
        return (await AskAsync(_client, vin, "4.2.0", "4.2.1", taskId), ["BASELINE_NOT_FORMAL"]);
    }

    private async Task<(HttpResponseMessage, string[])> TaskOfAnotherSeriesModelAsync()
    {
        var vin = await VehicleAsync(seriesModel: "S2-M1");
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        return (await AskAsync(_client, vin, "3.1.4", "3.1.5", taskId), ["SERIES_MODEL_MISMATCH", "PLATFORM_MISMATCH"]);
    }

    private async Task<(HttpResponseMessage, string[])> FactoryTaskForAVehicleInStockAsync()
    {
        var vin = await VehicleAsync(v => v with { Sold = false, Activated = false, LifecycleStatus = LifecycleStatus.InStock });
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Factory, "S1-M1", "3.1.5", [vin]);
        return (await AskAsync(_client, vin, "3.1.4", "3.1.5", taskId), ["STATUS_NOT_ALLOWED"]);
    }

    private async Task<(HttpResponseMessage, string[])> TaskOfAnotherTargetAsync()
    {
        var vin = await VehicleAsync();
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        return (await AskAsync(_client, vin, "3.1.3", "3.1.4", taskId), ["TARGET_VERSION_MISMATCH"]);
    }
}
