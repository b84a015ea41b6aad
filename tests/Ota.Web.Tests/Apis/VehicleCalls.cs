using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ota.Domain;
using Ota.Domain.Events;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Web.Tests.Apis;

/// <summary>Signed vehicle calls and the task rows vehicle tests need, shared by the vehicle API test classes.</summary>
internal static class VehicleCalls
{
    public const string PackageInfo = "/api/vehicle/v1/package-info";
    public const string Events = "/api/vehicle/v1/events";

    /// <summary>Fleet.VehicleAsync gives every test vehicle this secret.</summary>
    public static string SecretOf(string vin) => $"secret-{vin}";

    public static async Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string path, string vin, string body,
        string? secret = null, long? timestamp = null, string? headerVin = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var ts = (timestamp ?? FreshTimestamp(headerVin ?? vin, body)).ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(VehicleSignature.VinHeader, headerVin ?? vin);
        request.Headers.Add(VehicleSignature.TimestampHeader, ts);
        request.Headers.Add(VehicleSignature.SignatureHeader, VehicleSignature.Compute(secret ?? SecretOf(vin), ts, bytes));
        return await client.SendAsync(request);
    }

    /// <summary>GET /api/vehicle/v1/signing-keys, signed by <paramref name="vin"/> like every vehicle call (over the empty body).</summary>
    public static async Task<HttpResponseMessage> SigningKeysAsync(HttpClient client, string vin)
    {
        var ts = FreshTimestamp(vin, "").ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/vehicle/v1/signing-keys");
        request.Headers.Add(VehicleSignature.VinHeader, vin);
        request.Headers.Add(VehicleSignature.TimestampHeader, ts);
        request.Headers.Add(VehicleSignature.SignatureHeader, VehicleSignature.Compute(SecretOf(vin), ts, []));
        return await client.SendAsync(request);
    }

    private static readonly Dictionary<string, HashSet<long>> Signed = new();

    /// <summary>
    /// Now, unless the same VIN already sent the same body signed at that second: a signed request is taken once
    /// (REPLAYED), so a test that asks the same again signs it with the latest second not used yet for it, as a vehicle
    /// retrying signs anew.
    /// </summary>
    private static long FreshTimestamp(string vin, string body)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (Signed)
        {
            if (!Signed.TryGetValue(vin + "\n" + body, out var used)) Signed[vin + "\n" + body] = used = [];
            var ts = now;
            while (!used.Add(ts)) ts--;
            return ts;
        }
    }

    public static Task<HttpResponseMessage> AskAsync(HttpClient client, string vin, string current, string target, long? taskId = null) =>
        PostSignedAsync(client, PackageInfo, vin, JsonSerializer.Serialize(new { vin, currentVersion = current, targetVersion = target, taskId }));

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    public static async Task<JsonObject> OkJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return (JsonNode.Parse(text) as JsonObject)!;
    }

    public static async Task<(string Code, string[] Codes)> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(text)!;
        var codes = json["codes"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray() ?? [];
        return (json["code"]!.GetValue<string>(), codes);
    }

    /// <summary>A published task holding <paramref name="vins"/>; <paramref name="notified"/> marks them notified (as the push job does).</summary>
    public static async Task<long> TaskAsync(MariaDbFixture database, TestFleet fleet, TaskType type, string seriesModel, string target,
        string[] vins, bool notified = true, int resendCount = 0, string? messageId = null, Generation generation = Generation.OTA1)
    {
        await using var db = database.NewContext();
        var now = DateTime.UtcNow;
        var seriesModelId = await fleet.SeriesModelIdAsync(seriesModel);
        var task = new UpgradeTask
        {
            Name = $"{type} test task", Type = type, Source = TaskSource.Console, SeriesModelId = seriesModelId,
            TargetVersion = target, Generation = generation, CreatedBy = "test", CreatedAt = now,
        };
        if (type == TaskType.Sampling)
        {
            var defaultStrategy = db.StrategySeriesModels.Single(r => r.SeriesModelId == seriesModelId && r.IsDefault).StrategyId;
            task.ExtensionInfo = TaskExtensionInfo.Serialize(new TaskExtensionInfo
            {
                SamplingStrategy = new SamplingStrategy(defaultStrategy, StrategyPackageType.Full, VersionCompare.NoCompare),
            });
        }
        task.Publish(now, "test");
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        foreach (var vin in vins)
        {
            db.TaskVins.Add(new TaskVin
            {
                TaskId = task.Id, Vin = vin, State = notified ? TaskVinState.Notified : TaskVinState.Pending,
                NotifiedAt = notified ? now : null, MessageId = messageId, ResendCount = resendCount, CreatedAt = now,
            });
            if (messageId is not null)
                db.DownloadNotices.Add(new DownloadNotice
                {
                    TaskId = task.Id, Vin = vin, Version = target, UpgradeType = type, MessageId = messageId, SentAt = now,
                });
        }
        await db.SaveChangesAsync();
        return task.Id;
    }
}
