using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain.Vehicles;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Security;

/// <summary>
/// Vehicle secrets are stored wrapped, never in clear (SPEC §15): each path that writes them, read back from the table as
/// a database dump would show it; the data migration that wraps the secrets stored in clear before.
/// </summary>
public sealed class VehicleSecretsAtRest(MariaDbFixture db, RedisFixture redis)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private TestFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _services = TestServices.Create(db, redis);
        _fleet = new TestFleet(_services, db);
        await using var catalog = DemoWorld.OpenCatalog();
        Assert.True((await _services.GetRequiredService<CatalogImporter>().ImportAsync(catalog)).Succeeded);
        await db.ExecuteAsync("DELETE FROM ota_ddi_target; DELETE FROM ota_vehicle; DELETE FROM ota_data_migration");
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private VehicleSecrets Secrets => _services.GetRequiredService<VehicleSecrets>();

    [Fact]
    public async Task AnImportStoresEverySecretWrappedAndTheyAreReadBackAsImported()
    {
        var csv = new StringBuilder("vin,seriesModel,platform,lifecycleStatus,usage,sold,activated,passengerCar,firmwareVersion,configWord,secret\n");
        var known = new Dictionary<string, string>();
        for (var i = 1; i <= 20; i++)
        {
            var vin = TestFleet.TestVin(i, 'P');
            known[vin] = $"imported-secret-{i:D4}-{Guid.NewGuid():N}";
            csv.Append($"{vin},S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,{known[vin]}\n");
        }
        csv.Append($"{TestFleet.TestVin(21, 'P')},S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,\n");

        var report = await _services.GetRequiredService<VehicleImporter>().ImportAsync(() => new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "vehicles.csv");

        Assert.True(report.Succeeded, string.Join("\n", report.Problems));
        await StoredSecrets.AssertNoneInClearAsync(db, known.Values);
        foreach (var (vin, secret) in known) Assert.Equal(secret, (await Secrets.GetAsync(vin))?.Secret);
        // A new vehicle imported without a secret gets a random one, wrapped too.
        Assert.Matches("^[0-9a-f]{32}$", (await Secrets.GetAsync(TestFleet.TestVin(21, 'P')))?.Secret);
    }

    [Fact]
    public async Task TheDemoWorldStoresItsSecretsWrappedAndWritesTheClearOnesOnlyToItsFile()
    {
        var report = await _services.GetRequiredService<DemoWorld>().LoadAsync(60, ifMissing: false, TextWriter.Null);

        var file = (await File.ReadAllLinesAsync(report.SecretsFile)).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[3]);
        Assert.Equal(60, file.Count);
        await StoredSecrets.AssertNoneInClearAsync(db, file.Values);
        foreach (var (vin, secret) in file.Take(10)) Assert.Equal(secret, (await Secrets.GetAsync(vin))?.Secret);
    }

    [Fact]
    public async Task ReloadingTheSameSecretsLeavesTheVehiclesUnchanged()
    {
        var rows = await RowsAsync('U', 5);
        await _fleet.AddVehiclesAsync(rows);
        const string read = "SELECT secret, updated_at FROM ota_vehicle ORDER BY vin";
        var stored = await StoredSecrets.ReadAsync(db, read);
        await Task.Delay(50);

        var again = await _services.GetRequiredService<VehicleWriter>().UpsertAsync(rows);

        // The same secret wraps to the same value: nothing changed, not even updated_at.
        Assert.Equal(5, again.Updated);
        Assert.Equal(stored, await StoredSecrets.ReadAsync(db, read));
    }

    [Fact]
    public async Task VehiclesWrittenWithoutASecretGetRandomOnesWrappedAndKeepThemOnTheNextWrite()
    {
        // As the push benchmark writes its fleet: no secrets given.
        var rows = (await RowsAsync('N', 30)).Select(r => r with { Secret = null }).ToList();
        await _fleet.AddVehiclesAsync(rows);
        var first = await StoredSecrets.ReadAsync(db, "SELECT secret FROM ota_vehicle ORDER BY vin");

        await _fleet.AddVehiclesAsync(rows.Select(r => r with { FirmwareVersion = "3.1.5" }));

        Assert.All(first, s => Assert.StartsWith(StoredSecrets.WrappedPrefix, s));
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.Equal(first, await StoredSecrets.ReadAsync(db, "SELECT secret FROM ota_vehicle ORDER BY vin"));
    }

    [Fact]
    public async Task ARotatedSecretIsStoredWrappedAndReplacesTheOldOne()
    {
        var row = await _fleet.VehicleAsync(TestFleet.TestVin(1, 'R'));
        await _fleet.AddVehiclesAsync([row]);
        Assert.Equal(row.Secret, (await Secrets.GetAsync(row.Vin))?.Secret);

        var rotated = await Secrets.RotateAsync(row.Vin);

        Assert.NotNull(rotated);
        Assert.Matches("^[0-9a-f]{32}$", rotated);
        Assert.Equal(rotated, (await Secrets.GetAsync(row.Vin))?.Secret);
        await StoredSecrets.AssertNoneInClearAsync(db, [row.Secret!, rotated]);
        Assert.Null(await Secrets.RotateAsync(TestFleet.TestVin(2, 'R')));
    }

    [Fact]
    public async Task ADdiTokenIsStoredOnlyAsItsHash()
    {
        var row = await _fleet.VehicleAsync(TestFleet.TestVin(1, 'D'));
        await _fleet.AddVehiclesAsync([row]);

        var (token, _) = (await _services.GetRequiredService<DdiTokens>().IssueAsync(row.Vin, CancellationToken.None))!.Value;

        Assert.Equal(1, await db.CountAsync("ota_ddi_target"));
        await StoredSecrets.AssertNoneInClearAsync(db, [row.Secret!, token]);
    }

    [Fact]
    public async Task AStoredSecretThatDoesNotUnwrapLeavesTheVehicleWithoutOne()
    {
        var row = await _fleet.VehicleAsync(TestFleet.TestVin(1, 'T'));
        await _fleet.AddVehiclesAsync([row]);
        var stored = (string)(await db.ScalarAsync($"SELECT secret FROM ota_vehicle WHERE vin = '{row.Vin}'"))!;
        var cipher = Convert.FromBase64String(stored[StoredSecrets.WrappedPrefix.Length..]);
        cipher[3] ^= 0x20;
        await db.ExecuteAsync($"UPDATE ota_vehicle SET secret = '{StoredSecrets.WrappedPrefix}{Convert.ToBase64String(cipher)}' WHERE vin = '{row.Vin}'");

        Assert.Null(await Secrets.ReloadAsync(row.Vin));
    }

    [Fact]
    public async Task TheMigrationWrapsTheSecretsStoredInClearInBatchesAndOnlyOnce()
    {
        var count = WrapClearVehicleSecrets.BatchSize * 2 + 17;
        await _fleet.AddVehiclesAsync(await RowsAsync('M', count));
        // As a database from before secrets were wrapped holds them.
        await db.ExecuteAsync("UPDATE ota_vehicle SET secret = CONCAT('clear-', vin)");
        await db.ExecuteAsync($"UPDATE ota_vehicle SET secret = '' WHERE vin = '{TestFleet.TestVin(1, 'M')}'");

        await _services.GetRequiredService<DatabaseMigrations>().ApplyAsync(CancellationToken.None);

        var vins = await StoredSecrets.ReadAsync(db, $"SELECT vin FROM ota_vehicle WHERE vin <> '{TestFleet.TestVin(1, 'M')}'");
        Assert.Equal(1, await db.CountAsync("ota_vehicle", "secret = ''")); // no secret: nothing to wrap
        await db.ExecuteAsync($"DELETE FROM ota_vehicle WHERE vin = '{TestFleet.TestVin(1, 'M')}'");
        await StoredSecrets.AssertNoneInClearAsync(db, vins.Select(v => "clear-" + v).ToList());
        foreach (var vin in vins.Where((_, i) => i % 500 == 0)) Assert.Equal("clear-" + vin, (await Secrets.ReloadAsync(vin))?.Secret);
        Assert.Equal(1, await db.CountAsync("ota_data_migration", "id LIKE '%WrapClearVehicleSecrets'"));

        // Recorded as done: a later start does not read the table again.
        await db.ExecuteAsync($"UPDATE ota_vehicle SET secret = 'clear-again' WHERE vin = '{vins[0]}'");
        await _services.GetRequiredService<DatabaseMigrations>().ApplyAsync(CancellationToken.None);
        Assert.Equal(1, await db.CountAsync("ota_vehicle", "secret = 'clear-again'"));
    }

    [Fact]
    public async Task TwoInstancesWrappingAtOnceWrapEachSecretOnce()
    {
        await _fleet.AddVehiclesAsync(await RowsAsync('W', 3000));
        await db.ExecuteAsync("UPDATE ota_vehicle SET secret = CONCAT('clear-', vin)");
        await using var other = TestServices.Create(db, redis);

        await Task.WhenAll(
            Task.Run(() => _services.GetServices<IDataMigration>().OfType<WrapClearVehicleSecrets>().Single().ApplyAsync(CancellationToken.None)),
            Task.Run(() => other.GetServices<IDataMigration>().OfType<WrapClearVehicleSecrets>().Single().ApplyAsync(CancellationToken.None)));

        var vins = await StoredSecrets.ReadAsync(db, "SELECT vin FROM ota_vehicle");
        await StoredSecrets.AssertNoneInClearAsync(db, vins.Select(v => "clear-" + v).ToList());
        foreach (var vin in vins.Where((_, i) => i % 100 == 0)) Assert.Equal("clear-" + vin, (await Secrets.ReloadAsync(vin))?.Secret);
    }

    [Fact]
    public void TheColumnHoldsTheLongestWrappedSecret()
    {
        using var context = db.NewContext();
        Assert.Equal(VehicleSecretWrapping.MaxStoredLength, context.Model.FindEntityType(typeof(Vehicle))!.FindProperty(nameof(Vehicle.Secret))!.GetMaxLength());
        var wrapping = _services.GetRequiredService<VehicleSecretWrapping>();
        Assert.Equal(VehicleSecretWrapping.MaxStoredLength, wrapping.Wrap(new string('€', VehicleSecretWrapping.MaxSecretLength)).Length);
    }

    private async Task<List<VehicleRow>> RowsAsync(char letter, int count)
    {
        var template = await _fleet.VehicleAsync(TestFleet.TestVin(0, letter));
        return Enumerable.Range(1, count).Select(i => template with { Vin = TestFleet.TestVin(i, letter), Secret = $"secret-{TestFleet.TestVin(i, letter)}" }).ToList();
    }
}
