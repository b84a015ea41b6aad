using System.Net;
using System.Text;
using System.Text.Json;
using Ota.Domain;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;
using Ota.Simulator;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// Signed notices and descriptions through the real app (SPEC §15): the published key verifies what the app sends over
/// MQTT and HTTP, and the simulated fleet acts on that while it refuses forged notices and a tampered description.
/// </summary>
public sealed class SignedNotices(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly SignedWorld _world = new(fixture);

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static SimulatorOptions Options(int mqttPort) => new()
    {
        MqttPort = mqttPort, MqttUsername = BrokerCredentials.MonitorUser, MqttPassword = TestBroker.Credentials.MonitorPassword, FailureRate = 0, CommandRate = 0, Concurrency = 4, IdleAfter = TimeSpan.FromSeconds(3), RecordOutcomes = true,
    };

    [Fact]
    public async Task TheSigningKeysEndpointListsTheKeyThatSignsWhatIsPushedOverMqtt()
    {
        var vin = (await _world.VehiclesAsync('K', 1)).Keys.Single();
        await using var vehicle = await MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(fixture.App.MqttPort, vin));
        await _world.PublishAndPushAsync(fixture.App, vin);
        await vehicle.WaitForCountAsync(1, TimeSpan.FromSeconds(10));

        using var client = fixture.App.CreateClient();
        var response = await SigningKeysAsync(client, vin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=", response.Headers.CacheControl?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Matches("\"createdAt\":\"[0-9T:.-]+Z\"", text);
        var keys = JsonSerializer.Deserialize(text, SigningKeyJsonContext.Default.PublishedSigningKeys)!;
        var active = Assert.Single(keys.Keys, k => k.Active);
        Assert.Equal("Ed25519", active.Algorithm);
        Assert.Equal(32, Convert.FromBase64String(active.PublicKey).Length);
        Assert.Matches("^[0-9a-f]{16}$", active.KeyId);

        var received = Assert.Single(vehicle.Received);
        var notice = received.Message!;
        Assert.Equal(active.KeyId, notice.KeyId);
        Assert.True(NoticeSignature.Verify(notice, VerifyingKey.From(active)!), received.Json);
        // The SPEC §5 fields are as they were; the signature is beside them.
        using var json = JsonDocument.Parse(received.Json);
        Assert.Equal(["messageId", "taskId", "vin", "version", "packageId", "upgradeType", "generation", "keyId", "signature"],
            json.RootElement.EnumerateObject().Select(p => p.Name));

        // The signing-keys call is a vehicle call: unsigned, it is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/vehicle/v1/signing-keys")).StatusCode);
    }

    [Fact]
    public async Task APackageDescriptionIsSignedOverTheExactBytesSent()
    {
        var vin = (await _world.VehiclesAsync('B', 1)).Keys.Single();
        var key = VerifyingKey.From(Assert.Single((await SignedWorld.PublishedKeysAsync(fixture.App, vin)).Keys, k => k.Active))!;
        using var client = fixture.App.CreateClient();

        var response = await AskAsync(client, vin, "3.1.4", "3.1.5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        var signature = response.Headers.GetValues(BodySignature.SignatureHeader).Single();

        Assert.Equal(key.KeyId, response.Headers.GetValues(BodySignature.KeyIdHeader).Single());
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(key.Verify(body, signature));
        Assert.Equal(vin, JsonDocument.Parse(body).RootElement.GetProperty("vin").GetString());
        body[body.Length / 2] ^= 0x01;
        Assert.False(key.Verify(body, signature));
    }

    [Fact]
    public async Task TheFleetRefusesForgedNoticesAndActsOnTheGenuineOne()
    {
        var fleet = await _world.VehiclesAsync('F', 4);
        var (genuine, signedByAnother, changed, unsigned) = (fleet.Keys.ElementAt(0), fleet.Keys.ElementAt(1), fleet.Keys.ElementAt(2), fleet.Keys.ElementAt(3));
        var productKeyId = Assert.Single((await SignedWorld.PublishedKeysAsync(fixture.App, genuine)).Keys, k => k.Active).KeyId;
        await using var watcher = await MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(fixture.App.MqttPort, genuine));
        using var http = fixture.App.CreateClient();
        // The fleet runs until the test has seen what it waits for and stops it: an idle timeout would end it, on a
        // loaded machine, between the genuine upgrade and the forgeries.
        using var stop = new CancellationTokenSource();
        var simulation = new FleetSimulation(Options(fixture.App.MqttPort) with { IdleAfter = TimeSpan.FromHours(1) }, fleet, http);
        var running = simulation.RunAsync(stop.Token);
        await simulation.Listening.WaitAsync(TimeSpan.FromSeconds(30)); // the fleet is subscribed before the notices go out

        var taskId = await _world.PublishAndPushAsync(fixture.App, genuine);
        // Twice this waited 30 s in vain in full runs on a loaded machine (CI, and a clean clone here), and never alone. The
        // cause is not known: the wait is as patient as the other fleet journeys', and says what it saw if it still fails.
        await Eventually.WaitUntilAsync(() => Task.FromResult(simulation.Summary.Outcomes.ContainsKey(genuine)), TimeSpan.FromMinutes(2),
            "the genuine notice's upgrade", async () =>
            {
                var fleetSaid = new StringWriter();
                simulation.Summary.Print(fleetSaid, TimeSpan.Zero);
                var state = await fixture.Database.ScalarAsync($"SELECT CONCAT(state, ' notified_at=', COALESCE(notified_at, '-')) FROM ota_task_vin WHERE task_id = {taskId} AND vin = '{genuine}'");
                return $"the watcher heard {watcher.Received.Count} notice(s); the task VIN is {state}; the fleet ({(running.IsCompleted ? "stopped" : "running")}) says:{Environment.NewLine}{fleetSaid}";
            });
        var real = watcher.Received.Single().Message!;

        // What someone able to publish on the broker could send: each is refused, none is acted on.
        var forger = TestSigningKey.Create(productKeyId);
        await using (var publisher = await NoticePublisher.ConnectAsync(fixture.App.MqttPort))
        {
            await publisher.PublishAsync(new VehicleNotice(real.MessageId, real.TaskId, signedByAnother, real.Version, real.PackageId,
                Enum.Parse<TaskType>(real.UpgradeType), Enum.Parse<Generation>(real.Generation)).ToMessage(forger.Key));
            await publisher.PublishAsync(real with { Vin = changed }); // the genuine signature, another vehicle
            await publisher.PublishAsync(real with { Vin = unsigned, KeyId = null, Signature = null });
            await publisher.PublishAsync(real with { Version = "3.1.6" }); // the genuine notice, another version
            await publisher.PublishAsync(real with { MessageId = $"{taskId}-{genuine}-cancel", Kind = NoticeMessage.CancelKind }); // a cancel never signed
            await publisher.PublishAsync(real, topicVin: changed); // the genuine notice on another vehicle's topic
        }
        await Eventually.WaitUntilAsync(() => Task.FromResult(simulation.Summary.ForgeriesRefused >= 6), TimeSpan.FromSeconds(30), "six refusals");
        await stop.CancelAsync();
        var summary = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(6, summary.ForgeriesRefused);
        Assert.Equal(1, summary.Notices);
        Assert.Equal(0, summary.CancelNotices);
        Assert.Equal(1, summary.DescriptionsFetched);
        Assert.Equal(new Dictionary<string, string> { [genuine] = "Succeeded" }, summary.Outcomes);
        Assert.Equal(0, summary.ProtocolErrors);
        // The vehicle's last report is in; the follow-up that records it may still be on its way.
        await Eventually.WaitUntilAsync(async () => await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{genuine}' AND state = 'Succeeded'") == 1,
            TimeSpan.FromSeconds(30), "the genuine vehicle's task VIN to be Succeeded");
        Assert.Contains(summary.ForgerySamples, s => s.Contains("the signature does not match", StringComparison.Ordinal));
        Assert.Contains(summary.ForgerySamples, s => s.Contains("unsigned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFleetStartedBeforeItsCampaignWaitsForItAndStopsWhenItIsDone()
    {
        var fleet = await _world.VehiclesAsync('W', 1);
        var vin = fleet.Keys.Single();
        using var http = fixture.App.CreateClient();
        var simulation = new FleetSimulation(Options(fixture.App.MqttPort) with { IdleAfter = TimeSpan.FromSeconds(1) }, fleet, http);
        var running = simulation.RunAsync(CancellationToken.None);
        await simulation.Listening.WaitAsync(TimeSpan.FromSeconds(30));

        // An operator starts the fleet, then goes to create the campaign: more than the idle time passes with nothing.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(running.IsCompleted, "the fleet stopped before its campaign came");

        var taskId = await _world.PublishAndPushAsync(fixture.App, vin);
        var summary = await running.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(new Dictionary<string, string> { [vin] = "Succeeded" }, summary.Outcomes);
        await Eventually.WaitUntilAsync(async () => await fixture.Database.CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{vin}' AND state = 'Succeeded'") == 1,
            TimeSpan.FromSeconds(30), "the vehicle's task VIN to be Succeeded");
    }

    [Fact]
    public async Task TheFleetRefusesADescriptionChangedOnTheWay()
    {
        var fleet = await _world.VehiclesAsync('D', 2);
        var (tampered, genuine) = (fleet.Keys.First(), fleet.Keys.Last());
        // A man in the middle between the vehicle and the app changes one byte of one vehicle's description.
        using var http = fixture.App.CreateDefaultClient(new DescriptionTampering(tampered));
        var simulation = new FleetSimulation(Options(fixture.App.MqttPort), fleet, http);
        var running = simulation.RunAsync(CancellationToken.None);
        await simulation.Listening.WaitAsync(TimeSpan.FromSeconds(30)); // the fleet is subscribed before the notices go out

        var taskId = await _world.PublishAndPushAsync(fixture.App, tampered, genuine);
        var summary = await running.WaitAsync(TimeSpan.FromMinutes(2)); // ends 3 s after both vehicles are done

        Assert.Equal(2, summary.Notices);
        Assert.Equal(1, summary.ForgeriesRefused);
        Assert.Contains("body signature does not match", Assert.Single(summary.ForgerySamples));
        Assert.Equal("ForgeryRefused", summary.Outcomes[tampered]);
        Assert.Equal("Succeeded", summary.Outcomes[genuine]);
        Assert.Equal(0, summary.ProtocolErrors);
        // The refused vehicle did nothing with it: no download, no report.
        Assert.Equal(0, await fixture.Database.CountAsync("ota_vehicle_upgrade_status", $"task_id = {taskId} AND vin = '{tampered}'"));
        Assert.Equal(0, await fixture.Database.CountAsync("ota_vehicle_download_progress", $"vin = '{tampered}'"));
    }

    /// <summary>Changes one byte of the package-info answers to one vehicle, keeping their signature headers.</summary>
    private sealed class DescriptionTampering(string vin) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri?.AbsolutePath.EndsWith("/package-info", StringComparison.Ordinal) != true
                || request.Headers.GetValues(VehicleSignature.VinHeader).Single() != vin || response.StatusCode != HttpStatusCode.OK)
                return response;
            var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            // Another file to flash: the SHA-256 the vehicle would check its download against, one digit changed.
            var at = body.IndexOf("\"sha256\":\"", StringComparison.Ordinal) + 10;
            Assert.True(at > 10, body);
            var changed = body[..at] + (body[at] == '0' ? '1' : '0') + body[(at + 1)..];
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(changed));
            foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            content.Headers.ContentLength = null;
            response.Content = content;
            return response;
        }
    }
}
