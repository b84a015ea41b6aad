using System.Diagnostics;
using System.Text.Json;
using Ota.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Faults;

/// <summary>The app with every webhook and adapter pointed at an endpoint that accepts connections and never answers.</summary>
public sealed class HangingWebhookAppFixture : AppFixture
{
    /// <summary>How long one delivery waits for the hanging endpoint before it gives up (and is retried later).</summary>
    public static readonly TimeSpan HookTimeout = TimeSpan.FromSeconds(30);

    public HangingHttpEndpoint Hook { get; } = new();

    protected override void Configure(OtaAppFactory app)
    {
        var s = app.Settings;
        s["Webhooks:OperationsAssistant:Url"] = Hook.Url("/ops");
        s["Webhooks:WorkOrderGroup:Url"] = Hook.Url("/work-orders");
        s["Webhooks:FactoryGroup:Url"] = Hook.Url("/factory");
        s["Adapters:LogService:Url"] = Hook.Url("/logs");
        s["Adapters:MessageService:Url"] = Hook.Url("/messages");
        s["Adapters:MobilePush:Url"] = Hook.Url("/push");
        s["Adapters:Http:MaxRetryAttempts"] = "1";
        s["Adapters:Http:AttemptTimeout"] = HookTimeout.ToString();
        s["Adapters:Http:TotalTimeout"] = (HookTimeout * 2).ToString();
        s["FollowUps:PollInterval"] = "00:00:00.200";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Hook.DisposeAsync();
    }
}

/// <summary>
/// A webhook that hangs must not hold vehicle reports: reports are stored with their follow-ups as an outbox and
/// answered at once; deliveries run apart. Latency is measured while every delivery hangs.
/// </summary>
public sealed class HangingWebhook(HangingWebhookAppFixture fixture, ITestOutputHelper output) : IClassFixture<HangingWebhookAppFixture>
{
    private const int Vehicles = 30;
    private const int ReportsPerVehicle = 4;

    [Fact]
    public async Task VehicleReportsAreAnsweredAtOnceWhileEveryWebhookHangs()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, Vehicles).Select(n => TestFleet.TestVin(n, 'H')).ToArray();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        using var client = fixture.App.CreateClient();
        // Warm the path (first JIT, first connections) so the figures are about the hook, not the start.
        await OkJsonAsync(await AskAsync(client, vins[0], "3.1.4", "3.1.5"));

        // Each report is a failed campaign upgrade of a customer's car: operations message, work order, log read-back
        // and the owner's push, all to the hanging endpoint.
        var latencies = new List<double>();
        var eventIds = new List<string>();
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < ReportsPerVehicle; round++)
        {
            foreach (var vin in vins)
            {
                var eventId = Guid.NewGuid().ToString();
                var body = JsonSerializer.Serialize(new
                {
                    vin,
                    events = new[]
                    {
                        new { eventId, type = "UpgradeStatus", occurredAt = DateTimeOffset.UtcNow.ToString("O"), state = "Failed", triggerType = "NormalTask", errorType = "UpgradeFailed" },
                    },
                });
                var started = clock.Elapsed;
                var answer = await OkJsonAsync(await PostSignedAsync(client, Events, vin, body));
                latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                Assert.Equal(1, answer["accepted"]!.GetValue<int>());
                eventIds.Add(eventId);
            }
            // Between rounds, the deliveries of the earlier reports are hanging by now.
            if (round == 0) await Eventually.WaitUntilAsync(() => Task.FromResult(fixture.Hook.Accepted > 0), TimeSpan.FromSeconds(20), "the first delivery to reach the hanging endpoint");
        }
        var measuredFor = clock.Elapsed;

        // The hook really was hanging throughout: requests reached it, none was answered, and none has timed out yet.
        Assert.True(fixture.Hook.Accepted >= 4, $"only {fixture.Hook.Accepted} connections reached the hanging endpoint");
        Assert.True(measuredFor < HangingWebhookAppFixture.HookTimeout, $"measuring took {measuredFor}, longer than a hanging call is held");
        Assert.Equal(0, await fixture.Database.CountAsync("ota_notification", "delivery_status = 'Delivered'"));
        Assert.True(await fixture.Database.CountAsync("ota_follow_up", "step = 'OperationsAssistantMessage' AND state = 'Pending'") > 0);

        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        output.WriteLine($"{latencies.Count} reports in {measuredFor.TotalSeconds:0.0} s while the webhook hung " +
                         $"({fixture.Hook.Accepted} connections held): p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms");
        Assert.True(p99 < 1000, $"p99 {p99:0} ms: reports are held up by the hanging webhook");

        // What does not depend on the hook goes on: every report reached the upgrade-status stream.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.ConnectionString);
        var stream = redis.GetDatabase(fixture.Redis.Database);
        await Eventually.WaitUntilAsync(async () =>
        {
            var published = (await stream.StreamRangeAsync("ota:upgrade-status")).Select(e => (string?)e["eventId"]).ToHashSet();
            return eventIds.All(published.Contains);
        }, TimeSpan.FromSeconds(20), "every report on the upgrade-status stream");
    }
}
