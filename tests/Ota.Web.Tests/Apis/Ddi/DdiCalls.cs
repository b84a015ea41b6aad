using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ota.Domain;
using Ota.Infrastructure.Ddi;
using Ota.Testing;
using Ota.Web.Apis.Ddi;

namespace Ota.Web.Tests.Apis.Ddi;

/// <summary>The DDI API of SPEC §14 called as hawkBit clients call it, on a real socket, each test with vehicles of its own.</summary>
public sealed class DdiCalls(DdiFixture fixture) : IClassFixture<DdiFixture>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Feedback(string execution, string finished, string details = "\"a detail\"", string progress = "") =>
        $$$"""{"status":{"execution":"{{{execution}}}","result":{"finished":"{{{finished}}}"{{{progress}}}},"details":[{{{details}}}]}}""";

    private static async Task<JsonObject> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text) as JsonObject)!;
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["code"]!.GetValue<string>();
    }

    private static JsonObject? Links(JsonObject poll) => poll["_links"] as JsonObject;

    [Fact]
    public async Task APollWithoutTheVehiclesOwnTokenIsRefused()
    {
        var devices = await fixture.DevicesAsync('U', 2);
        var (vin, token) = devices[0];
        var root = DdiFixture.Root(vin);
        using var anonymous = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl) };

        Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await anonymous.GetAsync(root), HttpStatusCode.Unauthorized));
        using (var wrong = fixture.Device("not-the-token"))
            Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await wrong.GetAsync(root), HttpStatusCode.Unauthorized));
        using (var other = fixture.Device(devices[1].Token))
            Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await other.GetAsync(root), HttpStatusCode.Unauthorized));
        using (var scheme = fixture.Device(token, "Bearer"))
            Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await scheme.GetAsync(root), HttpStatusCode.Unauthorized));
        using var device = fixture.Device(token);
        Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await device.GetAsync($"/OTHER/controller/v1/{vin}"), HttpStatusCode.Unauthorized));
        Assert.Equal(DdiAuthentication.Unauthorized,
            await ProblemAsync(await device.GetAsync(DdiFixture.Root(TestFleet.TestVin(99, 'U'))), HttpStatusCode.Unauthorized));
        Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await device.GetAsync("/DEFAULT/controller/v1/not-a-vin"), HttpStatusCode.Unauthorized));

        await OkAsync(await device.GetAsync(root));
        // The tenant's name in another case, and the tenant-wide gateway token.
        await OkAsync(await device.GetAsync($"/default/controller/v1/{vin}"));
        using var gateway = fixture.Device(DdiFixture.GatewayToken, "GatewayToken");
        await OkAsync(await gateway.GetAsync(root));
    }

    [Fact]
    public async Task ANewTokenReplacesTheOldOne()
    {
        var (vin, old) = (await fixture.DevicesAsync('R', 1))[0];
        using var before = fixture.Device(old);
        await OkAsync(await before.GetAsync(DdiFixture.Root(vin)));

        var (token, client) = (await fixture.Get<DdiTokens>().IssueAsync(vin, CancellationToken.None))!.Value;

        Assert.Equal(UpdateClient.Ddi, client);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync(DdiFixture.Root(vin))).StatusCode);
        using var after = fixture.Device(token);
        await OkAsync(await after.GetAsync(DdiFixture.Root(vin)));
        Assert.Equal(64, ((string?)await fixture.Database.ScalarAsync($"SELECT token_hash FROM ota_ddi_target WHERE vin = '{vin}'"))!.Length);
        Assert.Equal(0, await fixture.Database.CountAsync("ota_ddi_target", $"token_hash = '{token}'"));
    }

    [Fact]
    public async Task AnIdlePollGivesTheSleepAndAsksForTheAttributesOnce()
    {
        var (vin, token) = (await fixture.DevicesAsync('C', 1))[0];
        using var device = fixture.Device(token);
        var root = DdiFixture.Root(vin);

        var poll = await device.GetAsync(root);
        var json = await OkAsync(poll);
        Assert.Equal("00:00:02", json["config"]!["polling"]!["sleep"]!.GetValue<string>());
        Assert.Equal($"{fixture.BaseUrl}{root}/configData", Links(json)!["configData"]!["href"]!.GetValue<string>());
        Assert.Null(Links(json)!["deploymentBase"]);

        // SWUpdate's body: hawkBit's older fields around the data, no mode.
        var put = await device.PutAsync($"{root}/configData",
            Json("""{ "id": "", "time": "20261207T034927", "status": { "result": { "finished": "success" }, "execution": "closed", "details" : [ "" ] }, "data" : {  "vin": "X","hwRevision": "1.0" } }"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var merged = await device.PutAsync($"{root}/configData", Json("""{"mode":"merge","data":{"hwRevision":"1.1","board":"imx8"}}"""));
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(new Dictionary<string, string> { ["board"] = "imx8", ["hwRevision"] = "1.1", ["vin"] = "X" },
            await fixture.Get<DdiConfigData>().GetAsync(vin, CancellationToken.None));
        await device.PutAsync($"{root}/configData", Json("""{"mode":"remove","data":{"vin":""}}"""));
        Assert.Equal(new Dictionary<string, string> { ["board"] = "imx8", ["hwRevision"] = "1.1" },
            await fixture.Get<DdiConfigData>().GetAsync(vin, CancellationToken.None));

        var again = await device.GetAsync(root);
        Assert.Null((await OkAsync(again))["_links"]);
        // The same answer again: 304 for its ETag.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, root);
        conditional.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(again.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, (await device.SendAsync(conditional)).StatusCode);

        foreach (var bad in new[] { "[]", """{"data":{}}""", """{"data":"x"}""", """{"mode":"sideways","data":{"a":"b"}}""", """{"data":{"a":{"b":1}}}""" })
            Assert.Equal(DdiBodiesCode.ConfigDataInvalid, await ProblemAsync(await device.PutAsync($"{root}/configData", Json(bad)), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task APushedTaskIsOfferedWithItsEcusAsChunksAndTheirFiles()
    {
        var (vin, token) = (await fixture.DevicesAsync('D', 1))[0];
        var taskId = await fixture.PublishAndPushAsync([vin], TaskType.Forced);
        using var device = fixture.Device(token);
        var root = DdiFixture.Root(vin);

        // Notified without an MQTT notice: the notice is recorded, the device finds the action on its poll.
        Assert.Equal("Notified", await fixture.StateAsync(taskId, vin));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_download_notice", $"vin = '{vin}' AND task_id = {taskId}"));
        var href = Links(await OkAsync(await device.GetAsync(root)))!["deploymentBase"]!["href"]!.GetValue<string>();
        Assert.StartsWith($"{fixture.BaseUrl}{root}/deploymentBase/{taskId}?c=", href);

        var deployment = await OkAsync(await device.GetAsync(href));
        Assert.Equal(taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), deployment["id"]!.GetValue<string>());
        Assert.Equal("forced", deployment["deployment"]!["download"]!.GetValue<string>());
        Assert.Equal("forced", deployment["deployment"]!["update"]!.GetValue<string>());
        var chunks = deployment["deployment"]!["chunks"]!.AsArray();
        // S1-M1's standard strategy upgrades CDC, BMS, ADCU, VCU, TBOX in that order.
        Assert.Equal(["CDC", "BMS", "ADCU", "VCU", "TBOX"], chunks.Select(c => c!["part"]!.GetValue<string>()));
        Assert.All(chunks, c => Assert.Equal("3.1.5", c!["version"]!.GetValue<string>()));
        var artifact = chunks[0]!["artifacts"]!.AsArray().Single()!;
        var download = artifact["_links"]!["download"]!["href"]!.GetValue<string>();
        Assert.Equal(download, artifact["_links"]!["download-http"]!["href"]!.GetValue<string>());
        Assert.Equal(download + ".MD5SUM", artifact["_links"]!["md5sum"]!["href"]!.GetValue<string>());

        var bytes = await device.GetByteArrayAsync(download);
        Assert.Equal(artifact["size"]!.GetValue<long>(), bytes.Length);
        Assert.Equal(artifact["hashes"]!["sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(artifact["hashes"]!["sha1"]!.GetValue<string>(), Convert.ToHexStringLower(SHA1.HashData(bytes)));
        var md5 = artifact["hashes"]!["md5"]!.GetValue<string>();
        Assert.Equal(md5, Convert.ToHexStringLower(MD5.HashData(bytes)));
        Assert.Equal($"{md5}  {artifact["filename"]!.GetValue<string>()}", await device.GetStringAsync(download + ".MD5SUM"));

        // A resumed download: SWUpdate asks for the rest with Range.
        using var rest = new HttpRequestMessage(HttpMethod.Get, download);
        rest.Headers.Range = new RangeHeaderValue(1000, null);
        var partial = await device.SendAsync(rest);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[1000..], await partial.Content.ReadAsByteArrayAsync());

        using var anonymous = new HttpClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(download)).StatusCode);
        Assert.Equal(DdiApi.ArtifactNotFound, await ProblemAsync(await device.GetAsync(download + "x"), HttpStatusCode.NotFound));
        Assert.Equal(DdiApi.ActionNotFound, await ProblemAsync(await device.GetAsync($"{root}/deploymentBase/{taskId + 1000}"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task FeedbackFollowsTheActionToSucceededAndClosesIt()
    {
        var (vin, token) = (await fixture.DevicesAsync('S', 1))[0];
        var taskId = await fixture.PublishAndPushAsync([vin]);
        using var device = fixture.Device(token);
        var root = DdiFixture.Root(vin);
        var feedback = $"{root}/deploymentBase/{taskId}/feedback";

        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(Feedback("proceeding", "none", progress: ",\"progress\":{\"cnt\":0,\"of\":1}")))).StatusCode);
        await fixture.WaitForStateAsync(taskId, vin, "Upgrading");
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(Feedback("closed", "success", "\"Update Installed.\"")))).StatusCode);

        // At once, before the follow-up moves the task-VIN: the action is no longer offered.
        var poll = await OkAsync(await device.GetAsync(root));
        Assert.Null(Links(poll)?["deploymentBase"]);
        await fixture.WaitForStateAsync(taskId, vin, "Succeeded");
        await Eventually.WaitUntilAsync(async () => Links(await OkAsync(await device.GetAsync(root)))?["installedBase"] is not null,
            TimeSpan.FromSeconds(10), "installedBase offered");
        var installed = Links(await OkAsync(await device.GetAsync(root)))!["installedBase"]!["href"]!.GetValue<string>();
        Assert.Equal($"{fixture.BaseUrl}{root}/installedBase/{taskId}", installed);
        Assert.Equal(taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), (await OkAsync(await device.GetAsync(installed)))["id"]!.GetValue<string>());

        // On the vehicle's timeline as native events, with the task's version.
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}' AND state = 'Succeeded' AND version = '3.1.5' AND task_id = {taskId}"));
        Assert.Equal(2, await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}' AND ecu_code = 'DDI'"));
        Assert.Equal(DdiApi.ActionClosed, await ProblemAsync(await device.PostAsync(feedback, Json(Feedback("proceeding", "none"))), HttpStatusCode.Gone));
    }

    [Theory]
    [InlineData('F', false, "DownloadFailed")]
    [InlineData('G', true, "UpgradeFailed")]
    public async Task AFailureIsADownloadFailureUntilTheDeviceSaidDownloaded(char letter, bool downloaded, string error)
    {
        var (vin, token) = (await fixture.DevicesAsync(letter, 1))[0];
        var taskId = await fixture.PublishAndPushAsync([vin]);
        using var device = fixture.Device(token);
        var feedback = $"{DdiFixture.Root(vin)}/deploymentBase/{taskId}/feedback";

        if (downloaded)
            Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(Feedback("downloaded", "none")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(Feedback("closed", "failure", "\"ERROR : Checksum does not match\"")))).StatusCode);

        await fixture.WaitForStateAsync(taskId, vin, "Failed");
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}' AND state = 'Failed' AND error_type = '{error}'"));
        // Followed up as a native vehicle's report (SPEC §7): a download failure is flagged for the compensation job's
        // resend, an upgrade failure of a Normal task is recorded on the task-VIN.
        var followedUp = downloaded
            ? $"SELECT error_type = '{error}' FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vin}'"
            : $"SELECT is_resend = 1 FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vin}'";
        await Eventually.WaitUntilAsync(async () => Convert.ToInt64(await fixture.Database.ScalarAsync(followedUp) ?? 0L) == 1,
            TimeSpan.FromSeconds(30), $"the follow-up of {error}");
    }

    [Fact]
    public async Task WhatRealClientsSendIsTakenAsHawkBitTakesIt()
    {
        var (vin, token) = (await fixture.DevicesAsync('W', 1))[0];
        var taskId = await fixture.PublishAndPushAsync([vin]);
        using var device = fixture.Device(token);
        var feedback = $"{DdiFixture.Root(vin)}/deploymentBase/{taskId}/feedback";

        // SWUpdate 2022.12: an integer id, a local time without zone, cnt past of, and a raw newline inside a string.
        var swupdate = $$"""{ "id": {{taskId}}, "time": "20261207T035115", "status": { "result": { "progress": { "cnt" : 1, "of" : 0 }, "finished": "none" }, "execution": "proceeding", "details" : [ "No artifact download URL reported by server.{{"\n"}}","x" ] } }""";
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(swupdate))).StatusCode);
        // The same body again (its answer was lost): stored once.
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(swupdate))).StatusCode);
        // hawkBit's current shape, with the execution SPEC §14 spells "downloading".
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsync(feedback, Json(
            """{"timestamp":1765080000000,"status":{"execution":"downloading","result":{"finished":"none","progress":{"cnt":2,"of":5}},"code":12}}"""))).StatusCode);

        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}' AND step = 'proceeding: No artifact download URL reported by server.'"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}' AND step = 'download' AND percent = 40"));
    }

    [Fact]
    public async Task HostileFeedbackIsRefusedWithACodeAndNothingIsStored()
    {
        var (vin, token) = (await fixture.DevicesAsync('H', 1))[0];
        var taskId = await fixture.PublishAndPushAsync([vin]);
        using var device = fixture.Device(token);
        var feedback = $"{DdiFixture.Root(vin)}/deploymentBase/{taskId}/feedback";
        string[] bodies =
        [
            "", "not json", "[]", "{}", """{"status":{}}""", """{"status":{"execution":"closed"}}""",
            """{"status":{"execution":"exploded","result":{"finished":"success"}}}""",
            """{"status":{"execution":"closed","result":{"finished":"maybe"}}}""",
            """{"status":{"execution":"closed","result":{"finished":"0"}}}""",
            """{"status":{"execution":"closed","result":{"finished":"success","progress":{"cnt":-1}}}}""",
            """{"status":{"execution":"closed","result":{"finished":"success"},"code":"twelve"}}""",
            new string('[', 10_000),
        ];
        foreach (var body in bodies)
            Assert.Equal(DdiBodiesCode.FeedbackInvalid, await ProblemAsync(await device.PostAsync(feedback, Json(body)), HttpStatusCode.BadRequest));
        var huge = Feedback("proceeding", "none", string.Join(',', Enumerable.Repeat($"\"{new string('x', 1000)}\"", 100)));
        Assert.Equal(DdiBodiesCode.FeedbackInvalid, await ProblemAsync(await device.PostAsync(feedback, Json(huge)), HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(DdiApi.ActionNotFound, await ProblemAsync(
            await device.PostAsync($"{DdiFixture.Root(vin)}/deploymentBase/{taskId + 1000}/feedback", Json(Feedback("closed", "success"))), HttpStatusCode.NotFound));

        Assert.Equal(0, await fixture.Database.CountAsync("ota_vehicle_upgrade_progress", $"vin = '{vin}'"));
        Assert.Equal(0, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}'"));
        Assert.Equal("Notified", await fixture.StateAsync(taskId, vin));
    }

    [Fact]
    public async Task ACancelledVinIsOfferedItsCancelUntilTheDeviceAnswersIt()
    {
        var (vin, token) = (await fixture.DevicesAsync('X', 1))[0];
        var taskId = await fixture.PublishAndPushAsync([vin]);
        using var device = fixture.Device(token);
        var root = DdiFixture.Root(vin);

        await fixture.CancelAsync(taskId, vin);
        await Eventually.WaitUntilAsync(async () =>
            Links(await OkAsync(await device.GetAsync(root)))?["cancelAction"] is not null, TimeSpan.FromSeconds(30), "the cancel action offered");
        var poll = await OkAsync(await device.GetAsync(root));
        Assert.Null(Links(poll)!["deploymentBase"]);
        var href = Links(poll)!["cancelAction"]!["href"]!.GetValue<string>();
        Assert.Equal($"{fixture.BaseUrl}{root}/cancelAction/{taskId}", href);
        var cancel = await OkAsync(await device.GetAsync(href));
        Assert.Equal(taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancel["cancelAction"]!["stopId"]!.GetValue<string>());
        Assert.Equal(DdiApi.ActionNotFound, await ProblemAsync(await device.GetAsync($"{root}/deploymentBase/{taskId}"), HttpStatusCode.NotFound));

        // SWUpdate acknowledges a cancel with closed + success on the cancel's feedback.
        var ack = await device.PostAsync($"{href}/feedback", Json(
            $$"""{ "id": {{taskId}}, "time": "20261207T035101", "status": { "result": { "finished": "success" }, "execution": "closed", "details" : [ "cancellation acknowledged." ] } }"""));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        Assert.Null(Links(await OkAsync(await device.GetAsync(root)))?["cancelAction"]);
        Assert.Equal("Acknowledged", (string?)await fixture.Database.ScalarAsync($"SELECT cancel_notice FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{vin}'"));
        Assert.Equal("Cancelled", await fixture.StateAsync(taskId, vin));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"vin = '{vin}' AND state = 'Cancelled'"));
        Assert.Equal(DdiApi.ActionNotFound, await ProblemAsync(await device.GetAsync(href), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task ANativeVehicleIsNotAnsweredAsADdiDeviceEvenWithAToken()
    {
        var (native, token) = (await fixture.DevicesAsync('N', 1, UpdateClient.Native))[0];
        var taskId = await fixture.PublishAndPushAsync([native]);

        // Notified the native way (its notice over MQTT); the DDI API does not offer it the same action.
        Assert.Equal("Notified", await fixture.StateAsync(taskId, native));
        using var device = fixture.Device(token);
        Assert.Equal(DdiAuthentication.Unauthorized, await ProblemAsync(await device.GetAsync(DdiFixture.Root(native)), HttpStatusCode.Unauthorized));
    }
}

/// <summary>The codes the DDI bodies are refused with, named as the tests read them.</summary>
internal static class DdiBodiesCode
{
    public const string FeedbackInvalid = Ota.Web.Apis.Ddi.DdiBodies.FeedbackInvalid;
    public const string ConfigDataInvalid = Ota.Web.Apis.Ddi.DdiBodies.ConfigDataInvalid;
}
