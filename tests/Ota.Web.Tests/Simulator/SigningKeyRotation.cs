using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;
using Ota.Simulator;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// A rotation of the signing key through the real app (SPEC §15): new notices carry the new key at once, on every
/// instance within 2 s; both keys are published, and what the old one signed still verifies until it is retired.
/// </summary>
public sealed class SigningKeyRotation(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly SignedWorld _world = new(fixture);

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ARotatedKeySignsOnEveryInstanceWithinTwoSecondsAndTheOldOneVerifiesUntilRetired()
    {
        var fleet = await _world.VehiclesAsync('R', 30);
        var vins = fleet.Keys.Order().ToList();
        await using var other = new OtaAppFactory(fixture.Database, fixture.Redis);
        using var otherClient = other.CreateClient();
        var keys = fixture.App.Services.GetRequiredService<SigningKeys>();
        var old = (await keys.ActiveAsync()).KeyId;
        // The other instance has the old key in hand.
        Assert.Equal(old, await DescriptionKeyAsync(otherClient, vins[0]));

        await using var watcher = await MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(fixture.App.MqttPort));
        await _world.PublishAndPushAsync(fixture.App, vins[0]);
        await watcher.WaitForCountAsync(1, TimeSpan.FromSeconds(10));

        var (created, replaced) = await keys.RotateAsync();
        var rotated = Stopwatch.StartNew();
        Assert.Equal(old, replaced);
        var next = 1;
        string? seen;
        do
        {
            await Task.Delay(100);
            seen = await DescriptionKeyAsync(otherClient, vins[next++]);
        }
        while (seen != created.KeyId && rotated.Elapsed < TimeSpan.FromSeconds(2));
        Assert.True(seen == created.KeyId, $"the other instance still signed with {seen} {rotated.Elapsed.TotalSeconds:0.0} s after the rotation");

        // New notices carry the new key; both keys are published, the new one active.
        await _world.PublishAndPushAsync(fixture.App, vins[^1]);
        await watcher.WaitForCountAsync(2, TimeSpan.FromSeconds(10));
        var (before, after) = (watcher.Received[0].Message!, watcher.Received[1].Message!);
        Assert.Equal((old, created.KeyId), (before.KeyId, after.KeyId));
        var published = (await SignedWorld.PublishedKeysAsync(other, vins[0])).Keys;
        Assert.Equal([(old, false), (created.KeyId, true)], published.Select(k => (k.KeyId, k.Active)));

        // A vehicle verifies both: the notice signed before the rotation, and the one after. (Another vehicle than the
        // one that just fetched the keys: the same signed GET twice in one second is a replay.)
        using var http = fixture.App.CreateClient();
        var ring = new SigningKeyRing(new VehicleApiClient(http), fleet[vins[^2]]);
        Assert.Null(await ring.RefuseNoticeAsync(before, CancellationToken.None));
        Assert.Null(await ring.RefuseNoticeAsync(after, CancellationToken.None));

        // Retired, the old key is no longer published, and what it signed no longer verifies.
        Assert.Equal(SigningKeyRetirement.Retired, await keys.RetireAsync(old));
        Assert.Equal([created.KeyId], (await SignedWorld.PublishedKeysAsync(fixture.App, vins[1])).Keys.Select(k => k.KeyId));
        var fresh = new SigningKeyRing(new VehicleApiClient(http), fleet[vins[^3]]);
        Assert.Contains("is not published", await fresh.RefuseNoticeAsync(before, CancellationToken.None));
        Assert.Null(await fresh.RefuseNoticeAsync(after, CancellationToken.None));
    }

    /// <summary>The key id the instance signs a package description with for this vehicle now.</summary>
    private static async Task<string?> DescriptionKeyAsync(HttpClient client, string vin)
    {
        var response = await AskAsync(client, vin, "3.1.4", "3.1.5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues(BodySignature.KeyIdHeader).Single();
    }
}
