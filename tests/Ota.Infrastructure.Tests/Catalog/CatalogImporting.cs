using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Documents;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Catalog;

public sealed class CatalogImporting(MariaDbFixture db) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        _services = TestServices.Create(db);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task ImportingTheSameCatalogTwiceChangesNothing()
    {
        var importer = _services.GetRequiredService<CatalogImporter>();
        await using (var first = DemoWorld.OpenCatalog())
        {
            var report = await importer.ImportAsync(first);
            Assert.True(report.Succeeded, string.Join("\n", report.Problems));
        }
        Assert.Equal(4, await db.CountAsync("ota_series_model"));
        var before = await SnapshotAsync();

        await using (var second = DemoWorld.OpenCatalog())
        {
            var report = await importer.ImportAsync(second);
            Assert.True(report.Succeeded, string.Join("\n", report.Problems));
            Assert.Empty(report.Written);
        }
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ImportStoresPackagesWithWrappedKeysAndVariantsInTheDocumentStore()
    {
        await using (var catalog = DemoWorld.OpenCatalog())
            Assert.True((await _services.GetRequiredService<CatalogImporter>().ImportAsync(catalog)).Succeeded);

        Assert.Equal(0, await db.CountAsync("ota_package_total_full", "encrypted = 1 AND (wrapped_key IS NULL OR wrapped_key = '')"));
        Assert.True(await db.CountAsync("ota_package_total_full", "encrypted = 1") > 0);
        Assert.Equal(0, await db.CountAsync("ota_package_total_full", "encrypted = 0 AND wrapped_key IS NOT NULL"));
        Assert.Equal(1, await db.CountAsync("ota_upgrade_strategy_veh_relation r JOIN ota_series_model s ON s.id = r.series_model_id",
            "s.code = 'S1-M1' AND r.is_default = 1"));
        var variant = await _services.GetRequiredService<IDocumentStore>().GetAsync(DocumentCollections.Variants, "S1-M2");
        Assert.NotNull(variant);
        Assert.Contains("NOADAS", variant);
    }

    [Fact]
    public async Task ABadCatalogReportsEveryProblemWithItsPathAndWritesNothing()
    {
        const string json = """
            {
              "seriesModels": [{"code": "X1", "series": "X", "model": "1", "platform": "PX"}],
              "ecus": [{"code": "CDC", "name": "Cockpit"}],
              "ecuPackages": [{"key": "k1", "ecu": "NOPE", "version": "3.1.5", "kind": "Ecu", "fileName": "a.bin",
                               "fileSize": 10, "sha256": "abc", "url": "ftp://x"}],
              "packages": [{"seriesModel": "X1", "version": "3.9.5", "type": "Full", "generation": "OTA2", "status": "Shipped",
                            "encrypted": false, "ecuPackages": ["k1", "missing"]}],
              "strategies": [{"name": "s", "packageType": "Auto", "versionCompare": "Auto", "upgradeMode": "UserConfirm",
                              "ecus": [{"ecu": "CDC", "order": null}], "seriesModels": [{"seriesModel": "X1", "isDefault": true}],
                              "vins": ["not-a-vin"]}]
            }
            """;
        var before = await SnapshotAsync();
        var report = await _services.GetRequiredService<CatalogImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        Assert.False(report.Succeeded);
        var text = string.Join("\n", report.Problems);
        Assert.Contains("ecuPackages[0], ecu: unknown ECU 'NOPE'", text);
        Assert.Contains("ecuPackages[0], sha256:", text);
        Assert.Contains("ecuPackages[0], url:", text);
        Assert.Contains("packages[0], status: 'Shipped' is not one of", text);
        Assert.Contains("packages[0], version: 3.9.5 is not an OTA2 version", text);
        Assert.Contains("packages[0], baseline:", text);
        Assert.Contains("packages[0].ecuPackages[1], ecuPackage: no ECU package with key 'missing'", text);
        Assert.Contains("strategies[0].vins[0], vin:", text);
        Assert.DoesNotContain("order", text);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(0, await db.CountAsync("ota_series_model", "code = 'X1'"));
    }

    [Fact]
    public async Task NotJsonIsReportedAsOneProblem()
    {
        var before = await SnapshotAsync();
        var report = await _services.GetRequiredService<CatalogImporter>().ImportAsync(new MemoryStream("{ not json"u8.ToArray()));
        Assert.False(report.Succeeded);
        Assert.Single(report.Problems);
        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>Every row of every catalog table, in a stable order.</summary>
    private async Task<string> SnapshotAsync()
    {
        var sb = new StringBuilder();
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        string[] tables =
        [
            "ota_series_model", "ota_base_ecu", "ota_baseline", "ota_baseline_description", "ota_package_ecu_full", "ota_package_ecu_delta",
            "ota_package_total_full", "ota_package_total_full_ecu", "ota_package_total_delta", "ota_package_total_delta_ecu", "ota_package",
            "ota_package_ecu", "ota_upgrade_strategy", "ota_upgrade_strategy_ecu_relation", "ota_upgrade_strategy_veh_relation",
            "ota_upgrade_strategy_vin_relation", "ota_document",
        ];
        foreach (var table in tables)
        {
            await using var command = new MySqlCommand($"SELECT * FROM `{table}` ORDER BY 1, 2", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                sb.Append(table).Append(':');
                for (var i = 0; i < reader.FieldCount; i++) sb.Append(reader.GetValue(i)).Append('|');
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }
}
