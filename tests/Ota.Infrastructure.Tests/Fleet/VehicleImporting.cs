using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Fleet;

public sealed class VehicleImporting(MariaDbFixture db) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private const string Header = "vin,seriesModel,platform,lifecycleStatus,usage,sold,activated,passengerCar,firmwareVersion,configWord,secret";
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _services = TestServices.Create(db);
        await using var catalog = DemoWorld.OpenCatalog();
        Assert.True((await _services.GetRequiredService<CatalogImporter>().ImportAsync(catalog)).Succeeded);
        await db.ExecuteAsync("DELETE FROM ota_vehicle");
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private Task<ImportReport> ImportCsvAsync(string csv) =>
        _services.GetRequiredService<VehicleImporter>().ImportAsync(() => new MemoryStream(Encoding.UTF8.GetBytes(csv)), "vehicles.csv");

    [Fact]
    public async Task OneBadRowIsReportedWithItsRowNumberAndNothingIsWritten()
    {
        var csv = $"""
            {Header}
            LTEST000000000001,S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,
            LTEST000000000002,S1-M1,P1,Delivered,Production,yes,true,true,3.1.4,,
            LTEST000000000003,S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,
            """;
        var report = await ImportCsvAsync(csv);

        Assert.False(report.Succeeded);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("row 3", problem.Row);
        Assert.Equal("sold", problem.Column);
        Assert.Contains("'yes' is not true or false", problem.Reason);
        Assert.Equal(0, await db.CountAsync("ota_vehicle"));
    }

    [Fact]
    public async Task EveryBadRowIsReported()
    {
        var csv = $"""
            {Header}
            LTEST00000000000I,S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,
            LTEST000000000002,S9-M9,P1,Delivered,Production,true,true,true,3.1.4,,
            LTEST000000000003,S1-M1,P1,Scrapped,Production,true,true,true,3.1.4,,
            LTEST000000000004,S1-M1,P1,Delivered,Production,true,true,true,three,,
            LTEST000000000005,S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,
            LTEST000000000005,S1-M1,P1,Delivered,Production,true,true,true,3.1.4,,
            """;
        var report = await ImportCsvAsync(csv);

        Assert.Equal(
            ["row 2 vin", "row 3 seriesModel", "row 4 lifecycleStatus", "row 5 firmwareVersion", "row 7 vin"],
            report.Problems.Select(p => $"{p.Row} {p.Column}"));
        Assert.Equal(0, await db.CountAsync("ota_vehicle"));
    }

    [Fact]
    public async Task GoodFileIsUpsertedByVinAndKeepsSecretsWhenNoneIsGiven()
    {
        var csv = $"""
            {Header}
            ltest000000000001 ,S1-M1,,Delivered,Production,true,true,true,3.1.4,,secret-of-vehicle-0001
            LTEST000000000002,S1-M2,P1,InStock,Engineering,false,false,true,0,CW-STD-ADAS,
            """;
        Assert.True((await ImportCsvAsync(csv)).Succeeded);
        Assert.Equal(2, await db.CountAsync("ota_vehicle"));
        Assert.Equal(1, await db.CountAsync("ota_vehicle", "vin = 'LTEST000000000001' AND platform = 'P1'"));
        Assert.Equal("secret-of-vehicle-0001", await StoredSecretAsync("LTEST000000000001"));
        Assert.Equal(1, await db.CountAsync("ota_vehicle", "vin = 'LTEST000000000002' AND config_word = 'CW-STD-ADAS'"));
        Assert.Matches("^[0-9a-f]{32}$", await StoredSecretAsync("LTEST000000000002"));

        var again = $"""
            {Header}
            LTEST000000000001,S1-M1,P1,Delivered,Production,true,true,true,3.1.5,,
            """;
        var report = await ImportCsvAsync(again);
        Assert.True(report.Succeeded);
        Assert.Equal(1, report.Written["vehicles updated or unchanged"]);
        Assert.Equal(1, await db.CountAsync("ota_vehicle", "vin = 'LTEST000000000001' AND firmware_version = '3.1.5'"));
        Assert.Equal("secret-of-vehicle-0001", await StoredSecretAsync("LTEST000000000001"));
    }

    private async Task<string> StoredSecretAsync(string vin) =>
        _services.GetRequiredService<VehicleSecretWrapping>().Unwrap((string)(await db.ScalarAsync($"SELECT secret FROM ota_vehicle WHERE vin = '{vin}'"))!);

    [Fact]
    public async Task MissingRequiredColumnsAreReportedFromTheHeader()
    {
        var report = await ImportCsvAsync("vin,seriesModel\nLTEST000000000001,S1-M1\n");
        Assert.Contains(report.Problems, p => p.Row == "row 1" && p.Column == "lifecycleStatus");
        Assert.Equal(0, await db.CountAsync("ota_vehicle"));
    }

    [Fact]
    public async Task AFileThatIsNotAWorkbookGetsAClearError()
    {
        var importer = _services.GetRequiredService<VehicleImporter>();
        var error = await Assert.ThrowsAsync<TabularFileException>(() =>
            importer.ImportAsync(() => new MemoryStream("this is not a zip"u8.ToArray()), "vehicles.xlsx"));
        Assert.Equal(TabularFile.CodeUnreadable, error.Code);
    }
}
