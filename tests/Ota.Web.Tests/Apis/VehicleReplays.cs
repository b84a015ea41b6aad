using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

/// <summary>The app twice on one database and one Redis: two instances, as behind a load balancer.</summary>
public sealed class TwoInstancesAppFixture : AppFixture
{
    public OtaAppFactory Second { get; private set; } = null!;

    protected override async Task StartAsync(OtaAppFactory app)
    {
        await base.StartAsync(app);
        Second = new OtaAppFactory(Database, Redis);
        Second.Settings["Ota:InstanceName"] = "second";
        _ = Second.Server;
    }

    public override async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>A signed vehicle request is taken once (SPEC §10): sent again as it was, by anyone, to any instance, it is refused.</summary>
public sealed class VehicleReplays(TwoInstancesAppFixture fixture) : IClassFixture<TwoInstancesAppFixture>, IAsyncLifetime
{
    private static int _next;
    private TestFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await _fleet.ImportDemoCatalogAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> VehicleAsync()
    {
        var vin = TestFleet.TestVin(Interlocked.Increment(ref _next), 'P');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin)]);
        return vin;
    }

    /// <summary>Exactly the bytes a vehicle sent, headers and body, as an eavesdropper would have captured them.</summary>
    private sealed record Captured(string Path, string Vin, string Timestamp, string Signature, byte[] Body)
    {
        public static Captured Sign(string path, string vin, string body, long? timestamp = null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var ts = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture);
            return new Captured(path, vin, ts, VehicleSignature.Compute(SecretOf(vin), ts, bytes), bytes);
        }

        public async Task<HttpResponseMessage> SendAsync(HttpClient client, string? signature = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(Body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add(VehicleSignature.VinHeader, Vin);
            request.Headers.Add(VehicleSignature.TimestampHeader, Timestamp);
            request.Headers.Add(VehicleSignature.SignatureHeader, signature ?? Signature);
            return await client.SendAsync(request);
        }
    }

    private static string PackageInfoBody(string vin) => JsonSerializer.Serialize(new { vin, currentVersion = "3.1.4", targetVersion = "3.1.5" });

    private static string EventsBody(string vin) => JsonSerializer.Serialize(new
    {
        vin,
        events = new[]
        {
            new { eventId = Guid.NewGuid(), type = "UpgradeProgress", occurredAt = DateTimeOffset.UtcNow.ToString("O"), ecuCode = "CDC", step = "flash", percent = 10 },
        },
    });

    [Fact]
    public async Task APackageInfoRequestSentAgainAsItWasIsRefusedAndServedNothing()
    {
        var vin = await VehicleAsync();
        using var client = fixture.App.CreateClient();
        var captured = Captured.Sign(PackageInfo, vin, PackageInfoBody(vin));

        await OkJsonAsync(await captured.SendAsync(client));
        var replay = await captured.SendAsync(client);

        Assert.Equal("REPLAYED", (await ProblemAsync(replay, HttpStatusCode.Unauthorized)).Code);
        Assert.Equal(1, await fixture.Database.CountAsync("ota_document", $"collection = 'package_descriptions' AND JSON_VALUE(json, '$.vin') = '{vin}'"));
    }

    [Fact]
    public async Task AReplaySentToAnotherInstanceIsRefusedToo()
    {
        var vin = await VehicleAsync();
        using var first = fixture.App.CreateClient();
        using var second = fixture.Second.CreateClient();
        var captured = Captured.Sign(Events, vin, EventsBody(vin));

        Assert.Equal(1, (await OkJsonAsync(await captured.SendAsync(first)))["accepted"]!.GetValue<int>());
        var replay = await captured.SendAsync(second);

        Assert.Equal("REPLAYED", (await ProblemAsync(replay, HttpStatusCode.Unauthorized)).Code);
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_event_receipt", $"vin = '{vin}'"));
    }

    [Fact]
    public async Task CopiesSentAllAtOnceToBothInstancesAreServedOnce()
    {
        // Signatures arriving together are checked in Redis together: copies in the same check must still count as replays.
        var vin = await VehicleAsync();
        using var first = fixture.App.CreateClient();
        using var second = fixture.Second.CreateClient();
        var captured = Captured.Sign(Events, vin, EventsBody(vin));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => captured.SendAsync(i % 2 == 0 ? first : second)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            Assert.Equal("REPLAYED", (await ProblemAsync(refused, HttpStatusCode.Unauthorized)).Code);
        Assert.Equal(1, await fixture.Database.CountAsync("ota_vehicle_event_receipt", $"vin = '{vin}'"));
    }

    [Fact]
    public async Task TheSameSignatureSpelledInCapitalsIsStillAReplay()
    {
        var vin = await VehicleAsync();
        using var client = fixture.App.CreateClient();
        var captured = Captured.Sign(PackageInfo, vin, PackageInfoBody(vin));

        await OkJsonAsync(await captured.SendAsync(client));
        var replay = await captured.SendAsync(client, captured.Signature.ToUpperInvariant());

        Assert.Equal("REPLAYED", (await ProblemAsync(replay, HttpStatusCode.Unauthorized)).Code);
    }

    [Fact]
    public async Task AVehicleRetryingWithANewTimestampIsServed()
    {
        var vin = await VehicleAsync();
        using var client = fixture.App.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = PackageInfoBody(vin);

        await OkJsonAsync(await Captured.Sign(PackageInfo, vin, body, now - 1).SendAsync(client));
        await OkJsonAsync(await Captured.Sign(PackageInfo, vin, body, now).SendAsync(client));

        Assert.Equal(2, await fixture.Database.CountAsync("ota_document", $"collection = 'package_descriptions' AND JSON_VALUE(json, '$.vin') = '{vin}'"));
    }

    [Fact]
    public async Task AWronglySignedCopyDoesNotUseUpTheVehiclesRequest()
    {
        var vin = await VehicleAsync();
        using var client = fixture.App.CreateClient();
        var captured = Captured.Sign(PackageInfo, vin, PackageInfoBody(vin));
        var forged = captured with { Body = Encoding.UTF8.GetBytes(PackageInfoBody(vin).Replace("3.1.4", "3.1.3", StringComparison.Ordinal)) };

        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(await forged.SendAsync(client), HttpStatusCode.Unauthorized)).Code);
        await OkJsonAsync(await captured.SendAsync(client));
    }
}
