using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.VinLists;

public sealed class FleetValidation(MariaDbFixture db) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private TestFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _services = TestServices.Create(db, settings: new Dictionary<string, string?> { ["Validation:ChunkSize"] = "4" });
        _fleet = new TestFleet(_services, db);
        await _fleet.ImportDemoCatalogAsync();
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private TaskValidationService Validation => _services.GetRequiredService<TaskValidationService>();

    private async Task<ValidationRequest> RequestAsync(TaskType type, string seriesModel, string target, TaskSource source = TaskSource.Console) =>
        new(type, source, await _fleet.SeriesModelIdAsync(seriesModel), target, "test");

    private async Task<Dictionary<string, string>> CodesByEntryAsync(long runId)
    {
        var result = new Dictionary<string, string>();
        await foreach (var (entry, codes) in Validation.ReadRejectionsAsync(runId)) result[entry] = string.Join(' ', codes);
        return result;
    }

    [Fact]
    public async Task GivesEachKindOfVehicleTheCodesThatApply()
    {
        string V(int n) => TestFleet.TestVin(n, 'A');
        await _fleet.AddVehiclesAsync(
        [
            await _fleet.VehicleAsync(V(1)),
            await _fleet.VehicleAsync(V(3), seriesModel: "S2-M1"),
            await _fleet.VehicleAsync(V(4), v => v with { Platform = "PX" }),
            await _fleet.VehicleAsync(V(5)),
            await _fleet.VehicleAsync(V(6), v => v with { Sold = false, LifecycleStatus = LifecycleStatus.InStock }),
            await _fleet.VehicleAsync(V(7), v => v with { FirmwareVersion = "0" }),
            await _fleet.VehicleAsync(V(8)),
            await _fleet.VehicleAsync(V(9), v => v with { FirmwareVersion = "3.1.5" }),
            await _fleet.VehicleAsync(V(10), v => v with { FirmwareVersion = "3.1.5" }),
            await _fleet.VehicleAsync(V(11), v => v with { FirmwareVersion = "3.1.6" }),
            await _fleet.VehicleAsync(V(12), v => v with { Sold = false, LifecycleStatus = LifecycleStatus.InStock }),
            await _fleet.VehicleAsync(V(13), v => v with { FirmwareVersion = "3.1.6" }),
            await _fleet.VehicleAsync(V(14)),
        ]);
        await _fleet.AddToListAsync(VehicleListKind.Blacklist, V(5));
        await _fleet.AddToListAsync(VehicleListKind.WhitelistSameVersion, V(10));
        await _fleet.AddToListAsync(VehicleListKind.WhitelistForced, V(12));
        await _fleet.AddToListAsync(VehicleListKind.WhitelistDowngrade, V(13));
        await _fleet.SetLatestStatusAsync(V(8), TriggerType.NormalTask, UpgradeState.Upgrading);
        await _fleet.SetLatestStatusAsync(V(14), TriggerType.User, UpgradeState.Upgrading);

        string?[] list = [V(1), V(2), V(3), V(4), V(5), V(6), V(7), V(8), V(9), V(10), V(11), V(12), V(13), V(14), "BAD-VIN", V(1).ToLowerInvariant(), " "];
        var progress = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Normal, "S1-M1", "3.1.5"), list);

        Assert.Equal(ValidationRunStatus.Completed, progress.Status);
        var codes = await CodesByEntryAsync(progress.RunId);
        Assert.Equal(new Dictionary<string, string>
        {
            [V(2)] = "VEHICLE_NOT_FOUND",
            [V(3)] = "SERIES_MODEL_MISMATCH PLATFORM_MISMATCH",
            [V(4)] = "PLATFORM_MISMATCH",
            [V(5)] = "BLACKLISTED",
            [V(6)] = "USAGE_MISMATCH",
            [V(7)] = "FIRMWARE_UNKNOWN",
            [V(8)] = "UPGRADE_IN_PROGRESS",
            [V(9)] = "SAME_VERSION_NOT_WHITELISTED",
            [V(11)] = "DOWNGRADE_NOT_WHITELISTED",
            ["BAD-VIN"] = "VIN_MALFORMED",
            [V(1)] = "VIN_DUPLICATE",
        }, codes);
        Assert.Equal(5, progress.Accepted); // 1, 10 (same-version whitelist), 12 (forced whitelist), 13 (downgrade whitelist), 14 (user upgrade)
        Assert.Equal(14, progress.DistinctVins);
        Assert.Equal(17, progress.TotalEntries);
        Assert.Equal(14, progress.VinsDone);
        Assert.Equal(1, progress.RejectedByReason["VIN_DUPLICATE"]);
    }

    [Fact]
    public async Task ChecksStatusForFactoryTasksAndConfigWordsForVariantsThatHaveThem()
    {
        string V(int n) => TestFleet.TestVin(n, 'B');
        await _fleet.AddVehiclesAsync(
        [
            await _fleet.VehicleAsync(V(1), v => v with { LifecycleStatus = LifecycleStatus.OkOffline, Sold = false, Activated = false }),
            await _fleet.VehicleAsync(V(2), v => v with { LifecycleStatus = LifecycleStatus.Produced, Sold = false, Activated = false }),
            await _fleet.VehicleAsync(V(3), seriesModel: "S1-M2"),
            await _fleet.VehicleAsync(V(4), v => v with { ConfigWord = null }, seriesModel: "S1-M2"),
        ]);

        var factory = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Factory, "S1-M1", "3.1.5"), [V(1), V(2)]);
        Assert.Equal(1, factory.Accepted);
        Assert.Equal("STATUS_NOT_ALLOWED", (await CodesByEntryAsync(factory.RunId))[V(2)]);

        var ota2 = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Normal, "S1-M2", "4.2.1"), [V(3), V(4)]);
        Assert.Equal(1, ota2.Accepted);
        Assert.Equal("CONFIG_WORD_MISSING", (await CodesByEntryAsync(ota2.RunId))[V(4)]);
    }

    [Fact]
    public async Task TaskLevelFailuresStopTheRunWithEveryCode()
    {
        var strategy = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Normal, "S3-M1", "3.1.5"), [TestFleet.TestVin(1, 'C')]);
        Assert.Equal(ValidationRunStatus.Rejected, strategy.Status);
        Assert.Equal(["STRATEGY_ECU_ORDER_MISSING"], strategy.TaskCodes);
        Assert.Contains("BCM", strategy.TaskDetails);

        var notReleased = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Normal, "S1-M1", "3.1.6"), []);
        Assert.Equal(["PKG_NOT_RELEASED", "VIN_LIST_EMPTY"], notReleased.TaskCodes);

        var missing = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Test, "S1-M1", "3.1.9"), [TestFleet.TestVin(1, 'C')]);
        Assert.Equal(["PKG_NOT_FOUND"], missing.TaskCodes);

        var ota2 = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Delivery, "S1-M2", "4.2.2"), [TestFleet.TestVin(1, 'C')]);
        Assert.Equal(["BASELINE_DESC_MISSING"], ota2.TaskCodes);

        var invalid = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Normal, "S1-M1", "3.7.5"), [TestFleet.TestVin(1, 'C')]);
        Assert.Equal(["VERSION_INVALID"], invalid.TaskCodes);
    }

    [Fact]
    public async Task CreatingATaskStoresTheAcceptedVinsAndPublishingSupersedesOtherTasksNotStartedVins()
    {
        string V(int n) => TestFleet.TestVin(n, 'D');
        await _fleet.AddVehiclesAsync(await Task.WhenAll(Enumerable.Range(1, 10).Select(n => _fleet.VehicleAsync(V(n)))));
        var first = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Normal, "S1-M1", "3.1.5") with
        {
            Task = new TaskSpec("first", 0, null),
            PublishWhenDone = true,
        }, Enumerable.Range(1, 6).Select(V));
        await db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Notified' WHERE task_id = {first.TaskId} AND vin = '{V(1)}'");

        var second = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Forced, "S1-M1", "3.1.5") with
        {
            Task = new TaskSpec("second", 5, null),
        }, Enumerable.Range(1, 10).Select(V));
        Assert.Equal(10, await db.CountAsync("ota_task_vin", $"task_id = {second.TaskId} AND state = 'Pending'"));
        // A draft cancels nothing; publishing does.
        Assert.Equal(0, await db.CountAsync("ota_task_vin", "state = 'Superseded'"));

        var published = await _services.GetRequiredService<TaskPublisher>().PublishAsync(second.TaskId!.Value, null, "test");

        Assert.Equal(5, published.SupersededVins);
        Assert.Equal(5, await db.CountAsync("ota_task_vin", $"task_id = {first.TaskId} AND state = 'Superseded' AND is_delete = 1 AND superseded_by_task_id = {second.TaskId}"));
        Assert.Equal(1, await db.CountAsync("ota_task_vin", $"task_id = {first.TaskId} AND state = 'Notified' AND vin = '{V(1)}'"));
        await using var context = db.NewContext();
        var task = await context.Tasks.SingleAsync(t => t.Id == second.TaskId);
        Assert.Equal(UpgradeTaskStatus.Published, task.Status);
        Assert.Equal(5, TaskExtensionInfo.Parse(task.ExtensionInfo).SupersededVins);
        Assert.Equal(5, task.Priority);
    }

    [Fact]
    public async Task ASamplingTaskKeepsItsOwnFullNoCompareStrategy()
    {
        var vin = TestFleet.TestVin(1, 'E');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin, v => v with { Sold = false, LifecycleStatus = LifecycleStatus.InStock, FirmwareVersion = "3.1.5" })]);
        var run = await Validation.ValidateNowAsync(await RequestAsync(TaskType.Sampling, "S1-M1", "3.1.5") with { Task = new TaskSpec("sample", 0, null) }, [vin]);

        Assert.Equal(1, run.Accepted); // same version is fine for sampling
        await using var context = db.NewContext();
        var info = TaskExtensionInfo.Parse((await context.Tasks.SingleAsync(t => t.Id == run.TaskId)).ExtensionInfo);
        Assert.NotNull(info.SamplingStrategy);
        Assert.Equal(StrategyPackageType.Full, info.SamplingStrategy.PackageType);
        Assert.Equal(VersionCompare.NoCompare, info.SamplingStrategy.VersionCompare);
    }
}
