using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Web.Tests.Faults;

/// <summary>Rate limits out of the way, so every hostile request reaches the checks it is meant to hit.</summary>
public sealed class RoomyLimitsAppFixture : AppFixture
{
    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["RateLimits:VehiclePerSecond"] = "1000000";
        app.Settings["RateLimits:VehicleBurst"] = "1000000";
        app.Settings["RateLimits:ApiKeyPerSecond"] = "1000000";
        app.Settings["RateLimits:ApiKeyBurst"] = "1000000";
    }
}

/// <summary>
/// Thousands of malformed, oversized, wrongly typed and wrongly signed requests to the vehicle and open APIs: each is
/// answered 4xx with a problem code, the app stays up with its memory where it was, and no table gains or loses a row.
/// </summary>
[Collection(MemoryMeasured.Name)]
public sealed class HostileInput(RoomyLimitsAppFixture fixture, ITestOutputHelper output) : IClassFixture<RoomyLimitsAppFixture>
{
    private const int Requests = 4_000;
    private const string PackageInfo = "/api/vehicle/v1/package-info";
    private const string Events = "/api/vehicle/v1/events";
    private const string Verify = "/ota/open/api/task/verify";
    private const string Publish = "/ota/open/api/task/publish";

    private sealed record Hostile(string Kind, HttpRequestMessage Request);

    [Fact]
    public async Task ThousandsOfHostileApiRequestsEachGetA4xxWithACodeAndLeaveNoRowBehind()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, 20).Select(n => TestFleet.TestVin(n, 'H')).ToArray();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        var (_, apiKey) = await services.GetRequiredService<ApiKeyStore>().CreateAsync("hostile");
        using var client = fixture.App.CreateClient();

        var random = new Random(8);
        var oversizedOpen = new byte[(int)Ota.Web.Apis.OpenTaskApi.MaxBodyBytes + 1024];
        Array.Fill(oversizedOpen, (byte)'[');
        var rowsBefore = await RowCountsAsync();
        var memoryBefore = ManagedMemory.LiveBytes();

        var answers = new List<(string Kind, int Status, string? Code)>(Requests);
        var wrong = new List<string>();
        using var gate = new SemaphoreSlim(8);
        var calls = Enumerable.Range(0, Requests).Select(async n =>
        {
            // Built one at a time under the gate, so a few oversized bodies exist at once, never thousands.
            await gate.WaitAsync();
            try
            {
                Hostile hostile;
                lock (random) hostile = n % 2 == 0 ? VehicleRequest(random, vins) : OpenRequest(random, apiKey, n % 500 == 1 ? oversizedOpen : null);
                using var request = hostile.Request;
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var code = CodeOf(response, text);
                lock (answers)
                {
                    answers.Add((hostile.Kind, (int)response.StatusCode, code));
                    if ((int)response.StatusCode is < 400 or >= 500 || code is null)
                        wrong.Add($"{hostile.Kind}: {(int)response.StatusCode} {(text.Length > 200 ? text[..200] : text)}");
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(calls);

        var memoryAfter = await ManagedMemory.SettledLiveBytesAsync(memoryBefore, 64L * 1024 * 1024, TimeSpan.FromSeconds(30));
        var rowsAfter = await RowCountsAsync();
        var changedTables = rowsBefore.Where(t => rowsAfter[t.Key] != t.Value).Select(t => $"{t.Key}: {t.Value} → {rowsAfter[t.Key]}").ToList();

        output.WriteLine($"requests sent: {answers.Count}; answered 4xx with a code: {answers.Count(a => a.Status is >= 400 and < 500 && a.Code is not null)}; " +
                         $"rows stored from them: {rowsAfter.Sum(t => t.Value) - rowsBefore.Sum(t => t.Value)} (tables changed: {changedTables.Count})");
        foreach (var group in answers.GroupBy(a => (a.Kind, a.Status, a.Code)).OrderBy(g => g.Key.Kind))
            output.WriteLine($"  {group.Key.Kind,-40} {group.Key.Status} {group.Key.Code,-22} × {group.Count()}");
        output.WriteLine($"managed memory of the test process: {memoryBefore / 1048576.0:F1} MiB before, {memoryAfter / 1048576.0:F1} MiB after");

        Assert.Equal(Requests, answers.Count);
        Assert.True(wrong.Count == 0, $"{wrong.Count} answers were not a 4xx with a code, e.g.\n{string.Join("\n", wrong.Take(10))}");
        Assert.True(changedTables.Count == 0, "rows changed: " + string.Join(", ", changedTables));
        Assert.True(memoryAfter - memoryBefore < 64L * 1024 * 1024,
            $"memory grew by {(memoryAfter - memoryBefore) / 1048576.0:F1} MiB over {Requests} hostile requests");

        // Still up, still serving: a good vehicle call after all that.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var good = await Apis.VehicleCalls.AskAsync(client, vins[0], "3.1.4", "3.1.5");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    private static Hostile VehicleRequest(Random random, string[] vins)
    {
        var vin = vins[random.Next(vins.Length)];
        var other = vins[(Array.IndexOf(vins, vin) + 1) % vins.Length];
        var path = random.Next(2) == 0 ? PackageInfo : Events;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var goodBody = path == PackageInfo
            ? JsonSerializer.Serialize(new { vin, currentVersion = "3.1.4", targetVersion = "3.1.5", nonce = random.Next() })
            : JsonSerializer.Serialize(new { vin, events = new[] { new { eventId = Guid.NewGuid().ToString(), type = "DownloadProgress", occurredAt = DateTimeOffset.UtcNow.ToString("O"), progress = 10 } } });
        switch (random.Next(16))
        {
            case 0:
                return new("vehicle: unsigned", Raw(path, goodBody));
            case 1:
                return new("vehicle: signature of random hex", Signed(path, vin, goodBody, now, signature: RandomHex(random, 64)));
            case 2:
                return new("vehicle: signed with another's secret", Signed(path, vin, goodBody, now, secret: $"secret-{other}"));
            case 3:
                return new("vehicle: timestamp out of skew", Signed(path, vin, goodBody, now + (random.Next(2) == 0 ? -1 : 1) * random.Next(301, 1_000_000)));
            case 4:
            {
                var request = Signed(path, vin, goodBody, now);
                request.Headers.Remove(VehicleSignature.TimestampHeader);
                request.Headers.TryAddWithoutValidation(VehicleSignature.TimestampHeader, random.Next(2) == 0 ? "yesterday" : "1e309");
                return new("vehicle: timestamp not a number", request);
            }
            case 5:
                return new("vehicle: unknown VIN", Signed(path, TestFleet.TestVin(random.Next(1000, 9999), 'U'), goodBody, now));
            case 6:
                return new("vehicle: VIN header of 8 KiB", Signed(path, new string('L', 8192), goodBody, now));
            case 7:
                return new("vehicle: body of random bytes", Signed(path, vin, RandomBytes(random, random.Next(1, 4000)), now));
            case 8:
                return new("vehicle: body of the wrong JSON type", Signed(path, vin, random.Next(4) switch { 0 => "[]", 1 => "42", 2 => "\"text\"", _ => "null" }, now));
            case 9:
                return new("vehicle: fields of the wrong type", Signed(path, vin, path == PackageInfo
                    ? $$"""{"vin":"{{vin}}","currentVersion":{"a":1},"targetVersion":[3,1,5],"taskId":"abc"}"""
                    : $$"""{"vin":"{{vin}}","events":"not a list"}""", now));
            case 10:
                return new("vehicle: body VIN not the signed VIN", Signed(path, vin, goodBody.Replace(vin, other, StringComparison.Ordinal), now));
            case 11:
                return new("vehicle: fields missing", Signed(path, vin, $$"""{"vin":"{{vin}}"}""", now));
            case 12:
            {
                // Over the endpoint's limit (16 KiB for package-info; the events limit is 4 MiB, so its copies are 4 MiB + 1).
                var size = path == PackageInfo ? 16 * 1024 + random.Next(1, 100_000) : (4 << 20) + 1;
                return new("vehicle: body over the limit", Signed(path, vin, Encoding.UTF8.GetBytes(new string(' ', size - goodBody.Length) + goodBody), now));
            }
            case 13:
                return new("vehicle: JSON nested 10,000 deep", Signed(path, vin, new string('[', 10_000) + new string(']', 10_000), now));
            case 14:
                return new("vehicle: events of the wrong type", Signed(Events, vin, "{\"vin\":\"" + vin + "\",\"events\":{\"0\":{\"type\":\"UpgradeStatus\"} } }", now));
            default:
                return new("vehicle: VIN malformed", Signed(path, "not-a-vin!", goodBody.Replace(vin, "not-a-vin!", StringComparison.Ordinal), now, secret: "x"));
        }
    }

    private static Hostile OpenRequest(Random random, string apiKey, byte[]? oversized)
    {
        var path = random.Next(2) == 0 ? Verify : Publish;
        const string good = """{"name":"n","type":"Normal","seriesModel":"S1-M1","targetVersion":"3.1.5","vins":["LTESTH00000000001"]}""";
        if (oversized is not null) return new("open: body over 64 MiB", Open(path, apiKey, oversized));
        return random.Next(12) switch
        {
            0 => new("open: no key", Open(path, null, good)),
            1 => new("open: wrong key", Open(path, RandomHex(random, 40), good)),
            2 => new("open: body of random bytes", Open(path, apiKey, RandomBytes(random, random.Next(1, 4000)))),
            3 => new("open: body of the wrong JSON type", Open(path, apiKey, random.Next(3) switch { 0 => "[1,2]", 1 => "true", _ => "\"vins\"" })),
            4 => new("open: fields of the wrong type", Open(path, apiKey, """{"name":["n"],"type":5,"seriesModel":{},"targetVersion":3.15,"vins":"LTESTH00000000001"}""")),
            5 => new("open: unknown task type", Open(path, apiKey, good.Replace("Normal", "Hyper", StringComparison.Ordinal))),
            6 => new("open: unknown source", Open(path, apiKey, good.Replace("\"vins\"", "\"source\":\"Satellite\",\"vins\"", StringComparison.Ordinal))),
            7 => new("open: unknown series-model", Open(path, apiKey, good.Replace("S1-M1", "ZZ-" + random.Next(), StringComparison.Ordinal))),
            8 => new("open: fields missing", Open(path, apiKey, """{"name":"n"}""")),
            9 => new("open: VINs not strings", Open(path, apiKey, good.Replace("[\"LTESTH00000000001\"]", "[1,null,{\"v\":2},[3]]", StringComparison.Ordinal))),
            10 => new("open: priority out of range", Open(Publish, apiKey, good.Replace("\"vins\"", "\"priority\":1e40,\"vins\"", StringComparison.Ordinal))),
            _ => new("open: JSON nested 10,000 deep", Open(path, apiKey, new string('{', 1) + "\"a\":" + new string('[', 10_000) + new string(']', 10_000) + "}")),
        };
    }

    private static HttpRequestMessage Raw(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return request;
    }

    private static HttpRequestMessage Signed(string path, string vin, string body, long timestamp, string? secret = null, string? signature = null) =>
        Signed(path, vin, Encoding.UTF8.GetBytes(body), timestamp, secret, signature);

    private static HttpRequestMessage Signed(string path, string vin, byte[] body, long timestamp, string? secret = null, string? signature = null)
    {
        var ts = timestamp.ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation(VehicleSignature.VinHeader, vin);
        request.Headers.Add(VehicleSignature.TimestampHeader, ts);
        request.Headers.Add(VehicleSignature.SignatureHeader, signature ?? VehicleSignature.Compute(secret ?? $"secret-{vin}", ts, body));
        return request;
    }

    private static HttpRequestMessage Open(string path, string? key, string body) => Open(path, key, Encoding.UTF8.GetBytes(body));

    private static HttpRequestMessage Open(string path, string? key, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        return request;
    }

    private static string RandomHex(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => "0123456789abcdef"[random.Next(16)]));

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        // Never a valid JSON document by chance: a lone closing brace first.
        bytes[0] = (byte)'}';
        return bytes;
    }

    private static string? CodeOf(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        try
        {
            return JsonNode.Parse(text)?["code"]?.GetValue<string>() is { Length: > 0 } code ? code : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<Dictionary<string, long>> RowCountsAsync()
    {
        await using var connection = new MySqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new MySqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var count = new MySqlCommand($"SELECT COUNT(*) FROM `{table}`", connection);
            counts[table] = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        return counts;
    }
}
