using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis;

/// <summary>
/// `./ota vehicle rotate-secret VIN` (SPEC §15): the new secret signs at once, and the old one is refused by every
/// instance within 2 s, not only after the instances' memory of it runs out. Secrets stored in clear before they were
/// wrapped still sign once the data migration has wrapped them.
/// </summary>
public sealed class VehicleSecretRotation(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private TestFleet _fleet = null!;
    private static int _next;

    public async Task InitializeAsync()
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await _fleet.ImportDemoCatalogAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> VehicleAsync()
    {
        var vin = TestFleet.TestVin(Interlocked.Increment(ref _next), 'K');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin)]);
        return vin;
    }

    private static Task<HttpResponseMessage> AskAsync(HttpClient client, string vin, string secret) =>
        PostSignedAsync(client, PackageInfo, vin, $$"""{"vin": "{{vin}}", "currentVersion": "3.1.4", "targetVersion": "3.1.5"}""", secret: secret);

    [Fact]
    public async Task ARotatedSecretIsRefusedByAnotherInstanceWithinTwoSeconds()
    {
        var vin = await VehicleAsync();
        await using var other = new OtaAppFactory(fixture.Database, fixture.Redis);
        using var client = other.CreateClient();
        // The other instance has read the secret and remembers it (for a minute by default).
        await OkJsonAsync(await AskAsync(client, vin, SecretOf(vin)));
        await OkJsonAsync(await AskAsync(client, vin, SecretOf(vin)));

        var rotated = await fixture.App.Services.GetRequiredService<VehicleSecrets>().RotateAsync(vin);
        var since = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            status = (await AskAsync(client, vin, SecretOf(vin))).StatusCode;
        }
        while (status != HttpStatusCode.Unauthorized && since.Elapsed < TimeSpan.FromSeconds(2));

        Assert.True(status == HttpStatusCode.Unauthorized, $"the old secret was still accepted {since.Elapsed.TotalSeconds:0.0} s after the rotation ({(int)status})");
        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(await AskAsync(client, vin, SecretOf(vin)), HttpStatusCode.Unauthorized)).Code);
        await OkJsonAsync(await AskAsync(client, vin, rotated!));
        await OkJsonAsync(await AskAsync(fixture.App.CreateClient(), vin, rotated!));
    }

    [Fact]
    public async Task TheCommandPrintsANewSecretThatSignsWhileTheOldOneIsRefused()
    {
        var vin = await VehicleAsync();
        using var client = fixture.App.CreateClient();
        await OkJsonAsync(await AskAsync(client, vin, SecretOf(vin)));

        var (exit, output, errors) = await AppProcess.RunCommandAsync(AppProcess.VictimSettings(fixture.Database, fixture.Redis), "vehicle", "rotate-secret", vin);

        Assert.True(exit == 0, $"exit {exit}: {errors}");
        var secret = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Matches("^[0-9a-f]{32}$", secret);
        await OkJsonAsync(await AskAsync(client, vin, secret));
        Assert.Equal("SIGNATURE_INVALID", (await ProblemAsync(await AskAsync(client, vin, SecretOf(vin)), HttpStatusCode.Unauthorized)).Code);
        await StoredSecrets.AssertNoneInClearAsync(fixture.Database, [SecretOf(vin), secret]);
    }

    [Fact]
    public async Task TheCommandRefusesAVehicleNotInTheRegistry()
    {
        var (exit, output, errors) = await AppProcess.RunCommandAsync(
            AppProcess.VictimSettings(fixture.Database, fixture.Redis), "vehicle", "rotate-secret", TestFleet.TestVin(999, 'Z'));

        Assert.Equal(1, exit);
        Assert.Contains($"vehicle {TestFleet.TestVin(999, 'Z')} is not in the registry", errors);
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task SecretsStoredInClearStillSignOnceTheMigrationHasWrappedThem()
    {
        var vins = new[] { await VehicleAsync(), await VehicleAsync(), await VehicleAsync() };
        // As a database from before secrets were wrapped holds them.
        foreach (var vin in vins) await fixture.Database.ExecuteAsync($"UPDATE ota_vehicle SET secret = '{SecretOf(vin)}' WHERE vin = '{vin}'");
        await fixture.Database.ExecuteAsync("DELETE FROM ota_data_migration");

        await fixture.App.Services.GetRequiredService<DatabaseMigrations>().ApplyAsync(CancellationToken.None);

        await StoredSecrets.AssertNoneInClearAsync(fixture.Database, vins.Select(SecretOf).ToList());
        using var client = fixture.App.CreateClient();
        foreach (var vin in vins) await OkJsonAsync(await AskAsync(client, vin, SecretOf(vin)));
    }
}
