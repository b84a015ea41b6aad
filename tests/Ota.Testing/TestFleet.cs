using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.VinLists;

namespace Ota.Testing;

/// <summary>Builds a small world in a test database: the demo catalog plus hand-made vehicles and list entries.</summary>
public sealed class TestFleet(IServiceProvider services, MariaDbFixture? db)
{
    private Dictionary<string, long>? _seriesModels;

    /// <summary>A fleet in whatever database <paramref name="services"/> use (a private server, say); <see cref="SetLatestStatusAsync"/> needs a fixture.</summary>
    public TestFleet(IServiceProvider services) : this(services, null)
    {
    }

    public async Task ImportDemoCatalogAsync()
    {
        await using var catalog = DemoWorld.OpenCatalog();
        var report = await services.GetRequiredService<CatalogImporter>().ImportAsync(catalog);
        if (!report.Succeeded) throw new InvalidOperationException(string.Join("\n", report.Problems));
    }

    public async Task<long> SeriesModelIdAsync(string code)
    {
        if (_seriesModels is null)
        {
            await using var context = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync();
            _seriesModels = await context.SeriesModels.ToDictionaryAsync(s => s.Code, s => s.Id);
        }
        return _seriesModels[code];
    }

    /// <summary>A customer vehicle that a Normal S1-M1 task to 3.1.5 accepts, changed by <paramref name="change"/>.</summary>
    public async Task<VehicleRow> VehicleAsync(string vin, Func<VehicleRow, VehicleRow>? change = null, string seriesModel = "S1-M1")
    {
        var row = new VehicleRow(vin, await SeriesModelIdAsync(seriesModel), seriesModel == "S2-M1" ? "P2" : seriesModel == "S3-M1" ? "P3" : "P1",
            LifecycleStatus.Delivered, VehicleUsage.Production, Sold: true, Activated: true, PassengerCar: true,
            FirmwareVersion: seriesModel == "S1-M2" ? "4.2.0" : "3.1.4", ConfigWord: seriesModel == "S1-M2" ? "CW-STD-ADAS" : null,
            Secret: $"secret-{vin}");
        return change is null ? row : change(row);
    }

    public Task AddVehiclesAsync(IEnumerable<VehicleRow> rows) => services.GetRequiredService<VehicleWriter>().UpsertAsync(rows);

    public async Task AddToListAsync(VehicleListKind kind, params string[] vins) =>
        await services.GetRequiredService<VehicleListImporter>().AddAsync(kind, vins.Select(v => (v, (string?)"test")).ToList());

    public Task SetLatestStatusAsync(string vin, TriggerType trigger, UpgradeState state) =>
        (db ?? throw new InvalidOperationException("This fleet was made without a database fixture.")).ExecuteAsync($"""
            INSERT INTO ota_vehicle_latest_status (vin, status_id, task_id, state, trigger_type, error_type, reported_at)
            VALUES ('{vin}', 0, NULL, '{state}', '{trigger}', NULL, UTC_TIMESTAMP())
            ON DUPLICATE KEY UPDATE state = VALUES(state), trigger_type = VALUES(trigger_type)
            """);

    /// <summary>
    /// <paramref name="count"/> vehicles (<c>TestVin(1…count, letter)</c>) that a Normal S1-M1 task to 3.1.5 accepts, with the
    /// demo catalog, and such a task over all of them, validated and published as the console does (due at
    /// <paramref name="scheduledAt"/>, or at once).
    /// </summary>
    public async Task<(long TaskId, string[] Vins)> PublishedTaskAsync(char letter, int count, string name, DateTime? scheduledAt = null)
    {
        await ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, count).Select(n => TestVin(n, letter)).ToArray();
        var template = await VehicleAsync(vins[0]);
        await AddVehiclesAsync(vins.Select(v => template with { Vin = v, Secret = $"secret-{v}" }));
        var progress = await services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, await SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
            {
                Task = new TaskSpec(name, 0, scheduledAt),
                PublishWhenDone = true,
            }, vins);
        if (progress.TaskId is not { } taskId || progress.Accepted != count)
            throw new InvalidOperationException($"the task was not published over all {count} VINs: {progress.Status} {progress.Error}");
        return (taskId, vins);
    }

    public static string TestVin(int n, char letter = 'T') => $"LTEST{letter}{n:D11}";
}
