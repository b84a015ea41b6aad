using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Administration;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Operations;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

/// <summary>The page-facing services against the real database: role checks, whole-or-nothing saves, the audit log.</summary>
public sealed class ConsoleServicesAtWork(ConsoleWorld world) : IClassFixture<ConsoleWorld>
{
    private MariaDbFixture Db => world.Database;

    private async Task<long> StrategyIdAsync(string name)
    {
        await using var db = Db.NewContext();
        return await db.Strategies.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
    }

    private async Task<long> NewTaskAsync(string name, int priority = 0, UpgradeTaskStatus status = UpgradeTaskStatus.Draft)
    {
        await using var db = Db.NewContext();
        var task = new UpgradeTask
        {
            Name = name, Type = TaskType.Normal, Source = TaskSource.Console, SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"),
            TargetVersion = "3.1.5", Generation = Generation.OTA1, Priority = priority, CreatedBy = "test", CreatedAt = DateTime.UtcNow,
        };
        if (status == UpgradeTaskStatus.Cancelled) task.Cancel(DateTime.UtcNow);
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    }

    private static StrategyForm Form(string name, params (long EcuId, string Code, int? Order)[] ecus) => new()
    {
        Name = name,
        Ecus = ecus.Select(e => new EcuOrderItem { EcuId = e.EcuId, Code = e.Code, Order = e.Order }).ToList(),
    };

    private async Task<Dictionary<string, long>> EcuIdsAsync()
    {
        await using var db = Db.NewContext();
        return await db.Ecus.ToDictionaryAsync(e => e.Code, e => e.Id);
    }

    [Fact]
    public async Task AViewerCannotChangeAnythingThroughTheServices()
    {
        var strategies = world.As<StrategyService>(ConsoleRoles.Viewer);
        var tasks = world.As<TaskCommands>(ConsoleRoles.Viewer);
        var lists = world.As<ListService>(ConsoleRoles.Viewer);
        var operations = world.As<OperationsQueries>(ConsoleRoles.Viewer);
        var taskId = await NewTaskAsync($"viewer-{Guid.NewGuid():N}");
        var strategyId = await StrategyIdAsync("S1-M1 standard");
        var strategyCount = await Db.CountAsync("ota_upgrade_strategy");
        var auditCount = await Db.CountAsync("ota_audit_log");

        var denied = new List<Func<Task>>
        {
            () => strategies.SaveAsync(Form("viewer strategy")),
            () => strategies.DeleteAsync(strategyId),
            () => strategies.MakeDefaultAsync(strategyId, 1),
            () => strategies.UploadVinsAsync(strategyId, new MemoryStream("VIN\n"u8.ToArray()), "v.csv"),
            () => tasks.MovePriorityAsync(taskId, up: true),
            () => tasks.PublishAsync(taskId, null),
            () => tasks.StartUploadAsync(new TaskBasics(), new MemoryStream(), "v.csv", 1),
            () => lists.AddAsync(VehicleListKind.Blacklist, ConsoleWorld.GoodVins[0], "x"),
            () => lists.DeleteAsync(VehicleListKind.Blacklist, [1]),
            () => operations.MarkReadAsync([1]),
            () => world.As<PackageCommands>(ConsoleRoles.Viewer).RevokeAsync(CatalogQueries.Ota1Full, 1),
            () => world.As<PackageCommands>(ConsoleRoles.Viewer).ReleaseAsync(CatalogQueries.Ota1Full, 1),
        };
        foreach (var call in denied)
        {
            var ex = await Assert.ThrowsAsync<ConsoleAccessDeniedException>(call);
            Assert.StartsWith("Viewers cannot change anything", ex.Message);
        }
        var admin = world.As<AdminService>(ConsoleRoles.Operator);
        Assert.Equal("Only administrators can do this.", (await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => admin.AccountsAsync())).Message);

        Assert.Equal(strategyCount, await Db.CountAsync("ota_upgrade_strategy"));
        Assert.Equal(0, await Db.CountAsync("ota_vehicle_blacklist", $"vin = '{ConsoleWorld.GoodVins[0]}'"));
        Assert.Equal(auditCount, await Db.CountAsync("ota_audit_log"));
    }

    [Fact]
    public async Task AMissingEcuOrderIsSaidBesideTheEcusAndNothingIsSaved()
    {
        var ecus = await EcuIdsAsync();
        var name = $"no-order-{Guid.NewGuid():N}";
        var (id, errors) = await world.As<StrategyService>(ConsoleRoles.Operator)
            .SaveAsync(Form(name, (ecus["CDC"], "CDC", 1), (ecus["BMS"], "BMS", null)));

        Assert.Null(id);
        Assert.Equal("No upgrade order for BMS: put it in the order or remove it (STRATEGY_ECU_ORDER_MISSING).", errors.For(nameof(StrategyForm.Ecus)));
        Assert.Equal(0, await Db.CountAsync("ota_upgrade_strategy", $"name = '{name}'"));
    }

    [Fact]
    public async Task ASecondDefaultForASeriesModelIsRefusedAndNothingIsHalfSaved()
    {
        var ecus = await EcuIdsAsync();
        var name = $"second-default-{Guid.NewGuid():N}";
        var form = Form(name, (ecus["CDC"], "CDC", 1));
        form.SeriesModels.Add(new SeriesModelLink { SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"), Code = "S1-M1", IsDefault = true });

        var (id, errors) = await world.As<StrategyService>(ConsoleRoles.Operator).SaveAsync(form);

        Assert.Null(id);
        Assert.Contains("S1-M1 already has a default strategy, 'S1-M1 standard'", errors.For(nameof(StrategyForm.SeriesModels)));
        Assert.Equal(0, await Db.CountAsync("ota_upgrade_strategy", $"name = '{name}'"));
        Assert.Equal(1, await Db.CountAsync("ota_upgrade_strategy_veh_relation", $"series_model_id = {await world.Fleet.SeriesModelIdAsync("S1-M1")} AND is_default = 1"));
    }

    [Fact]
    public async Task MakeDefaultMovesTheDefaultAndTheOldOneCannotBeDeletedWhileItIsOne()
    {
        var service = world.As<StrategyService>(ConsoleRoles.Operator);
        var ecus = await EcuIdsAsync();
        var s2 = await world.Fleet.SeriesModelIdAsync("S2-M1");
        var (id, errors) = await service.SaveAsync(Form($"s2-new-{Guid.NewGuid():N}", (ecus["VCU"], "VCU", 1)));
        Assert.True(errors.IsValid, string.Join("; ", errors.Values));
        var standard = await StrategyIdAsync("S2-M1 standard");

        var delete = await Assert.ThrowsAsync<ConsoleCommandException>(() => service.DeleteAsync(standard));
        Assert.Equal("'S2-M1 standard' is the default of S2-M1: make another strategy the default first.", delete.Message);

        await service.MakeDefaultAsync(id!.Value, s2);

        await using var db = Db.NewContext();
        var defaults = await db.StrategySeriesModels.Where(r => r.SeriesModelId == s2 && r.IsDefault).Select(r => r.StrategyId).ToListAsync();
        Assert.Equal([id.Value], defaults);
        // And back, so other tests see the demo world as it was.
        await service.MakeDefaultAsync(standard, s2);
    }

    [Fact]
    public async Task AnOperatorsSaveIsAuditedWithWhoWhatAndBeforeAndAfter()
    {
        var service = world.As<StrategyService>(ConsoleRoles.Operator, "olga@test.local");
        var ecus = await EcuIdsAsync();
        var name = $"audited-{Guid.NewGuid():N}";
        var (id, _) = await service.SaveAsync(Form(name, (ecus["CDC"], "CDC", 1), (ecus["BMS"], "BMS", 2)));
        var form = (await service.GetAsync(id!.Value))!;
        form.Ecus.Single(e => e.Code == "CDC").Order = 2;
        form.Ecus.Single(e => e.Code == "BMS").Order = 1;
        var (again, errors) = await service.SaveAsync(form);
        Assert.True(errors.IsValid);

        await using var db = Db.NewContext();
        var entries = await db.AuditLog.Where(a => a.User == "olga@test.local").OrderBy(a => a.Id).ToListAsync();
        var created = Assert.Single(entries, e => e.Action == "Created" && e.Entity == "UpgradeStrategy" && e.EntityId == id.ToString());
        Assert.Contains(name, created.After);
        var reorders = entries.Where(e => e.Action == "Updated" && e.Entity == "StrategyEcuRelation").ToList();
        Assert.Equal(2, reorders.Count);
        Assert.Contains(reorders, e => e.Before == "{\"UpgradeOrder\":1}" && e.After == "{\"UpgradeOrder\":2}");
        Assert.Contains(reorders, e => e.Before == "{\"UpgradeOrder\":2}" && e.After == "{\"UpgradeOrder\":1}");
    }

    [Fact]
    public async Task VinRelationUploadsWriteNothingWhenAnEntryIsNotARegisteredVehicle()
    {
        var service = world.As<StrategyService>(ConsoleRoles.Operator);
        var strategyId = await StrategyIdAsync("S1-M1 full, cockpit and battery only");
        var before = await Db.CountAsync("ota_upgrade_strategy_vin_relation", $"strategy_id = {strategyId}");
        static MemoryStream Csv(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\n", lines)));

        var malformed = await service.UploadVinsAsync(strategyId, Csv("VIN", ConsoleWorld.GoodVins[0], "not-a-vin"), "v.csv");
        Assert.Equal("1 entry is not VINs, for example 'not-a-vin'. Nothing was added.", malformed.Error);
        var unknown = await service.UploadVinsAsync(strategyId, Csv("VIN", ConsoleWorld.GoodVins[0], TestFleet.TestVin(999, 'W')), "v.csv");
        Assert.Equal($"Not in the vehicle registry: '{TestFleet.TestVin(999, 'W')}'. Import those vehicles first; nothing was added.", unknown.Error);
        var empty = await service.UploadVinsAsync(strategyId, Csv("VIN"), "v.csv");
        Assert.Equal("The file holds no VINs. Nothing was added.", empty.Error);
        var wrongFile = await service.UploadVinsAsync(strategyId, Csv("x"), "v.xlsx");
        Assert.Equal("The file is not a readable .xlsx workbook (it is not an Office Open XML file).", wrongFile.Error);
        Assert.Equal(before, await Db.CountAsync("ota_upgrade_strategy_vin_relation", $"strategy_id = {strategyId}"));

        var good = await service.UploadVinsAsync(strategyId, Csv("VIN", ConsoleWorld.GoodVins[0], ConsoleWorld.GoodVins[1].ToLowerInvariant(), ConsoleWorld.GoodVins[0]), "v.csv");
        Assert.Equal(new VinUploadResult(2, null), good);
        Assert.Equal(before + 2, await Db.CountAsync("ota_upgrade_strategy_vin_relation", $"strategy_id = {strategyId}"));
    }

    [Fact]
    public async Task MovingATaskUpStoresTheNewSendingOrder()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // Far above every other test's tasks, so the three are neighbours in the sending order.
        var a = await NewTaskAsync($"rank-a-{suffix}", priority: 900);
        var b = await NewTaskAsync($"rank-b-{suffix}", priority: 900);
        var c = await NewTaskAsync($"rank-c-{suffix}", priority: 900);
        var queries = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<TaskQueries>(world.App.Services);
        async Task<List<long>> OrderAsync() =>
            (await queries.ListAsync(new TaskFilter(Name: suffix), new PageQuery())).Items.Select(t => t.Id).ToList();
        Assert.Equal([c, b, a], await OrderAsync());

        await world.As<TaskCommands>(ConsoleRoles.Operator).MovePriorityAsync(a, up: true);

        Assert.Equal([c, a, b], await OrderAsync());
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Moved up' AND entity_id = '{a}'"));
    }

    [Fact]
    public async Task PublishingRefusesATaskWithoutVinsAndATimeInThePast()
    {
        var commands = world.As<TaskCommands>(ConsoleRoles.Operator);
        var empty = await NewTaskAsync($"empty-{Guid.NewGuid():N}");

        Assert.Equal("The task has no accepted VINs, so there is nothing to publish.",
            (await Assert.ThrowsAsync<ConsoleCommandException>(() => commands.PublishAsync(empty, null))).Message);
        await using (var db = Db.NewContext())
        {
            db.TaskVins.Add(new TaskVin { TaskId = empty, Vin = ConsoleWorld.GoodVins[2], CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        Assert.Equal("The scheduled time has passed: pick a later time, or publish now.",
            (await Assert.ThrowsAsync<ConsoleCommandException>(() => commands.PublishAsync(empty, DateTime.UtcNow.AddHours(-1)))).Message);
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {empty} AND status = 'Draft'"));
    }

    [Fact]
    public async Task OnlyAnAdminMakesADiagnosticTaskAndAnOperatorsUploadWithThatSourceStartsNothing()
    {
        var basics = new TaskBasics
        {
            Name = $"diag-{Guid.NewGuid():N}"[..20], SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"), TargetVersion = "3.1.5",
            Source = TaskSource.Diagnostic,
        };
        MemoryStream Csv() => new(Encoding.UTF8.GetBytes(string.Join("\n", ["VIN", .. ConsoleWorld.GoodVins[..2]])));
        var runs = await Db.CountAsync("ota_validation_run");

        var refusal = (await world.As<TaskCommands>(ConsoleRoles.Operator).CheckBasicsAsync(basics)).For(nameof(TaskBasics.Source));
        Assert.Equal("Only an Admin can make a Diagnostic task: it skips the checks BLACKLISTED, USAGE_MISMATCH, FIRMWARE_UNKNOWN, " +
            "UPGRADE_IN_PROGRESS, SAME_VERSION_NOT_WHITELISTED.", refusal);
        var (none, errors) = await world.As<TaskCommands>(ConsoleRoles.Operator).StartUploadAsync(basics, Csv(), "v.csv", 40);
        Assert.Null(none);
        Assert.Equal(refusal, errors.For(nameof(TaskBasics.Source)));
        Assert.Equal(runs, await Db.CountAsync("ota_validation_run"));
        // The console makes no open-API tasks either.
        var openApi = await world.As<TaskCommands>(ConsoleRoles.Admin).CheckBasicsAsync(new TaskBasics
        {
            Name = basics.Name, SeriesModelId = basics.SeriesModelId, TargetVersion = "3.1.5", Source = TaskSource.OpenApi,
        });
        Assert.Equal("Open-API tasks are made through the open API.", openApi.For(nameof(TaskBasics.Source)));

        var admin = world.As<TaskCommands>(ConsoleRoles.Admin);
        Assert.True((await admin.CheckBasicsAsync(basics)).IsValid);
        var (runId, fine) = await admin.StartUploadAsync(basics, Csv(), "v.csv", 40);
        Assert.True(fine.IsValid, string.Join("; ", fine.Values));
        var made = await world.App.Services.GetRequiredService<TaskValidationService>().UntilFinishedAsync(runId!.Value);
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {made.TaskId} AND source = 'Diagnostic'"));
        Assert.Equal(["BLACKLISTED", "USAGE_MISMATCH", "FIRMWARE_UNKNOWN", "UPGRADE_IN_PROGRESS", "SAME_VERSION_NOT_WHITELISTED"],
            TaskCommands.DiagnosticSkips.Select(s => s.Code));
    }

    [Fact]
    public async Task ATaskWithNoLiveVinsCountsZeroInTheListInsteadOfStayingUncounted()
    {
        var empty = await NewTaskAsync($"no-vins-{Guid.NewGuid():N}");
        var superseded = await NewTaskAsync($"superseded-{Guid.NewGuid():N}");
        await using (var db = Db.NewContext())
        {
            db.TaskVins.Add(new TaskVin { TaskId = superseded, Vin = ConsoleWorld.GoodVins[0], State = TaskVinState.Superseded, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var counts = await ActivatorUtilities.CreateInstance<TaskQueries>(world.App.Services).VinCountsAsync([empty, superseded]);

        Assert.Equal(new Dictionary<long, long> { [empty] = 0, [superseded] = 0 }, counts);
    }

    [Fact]
    public async Task TheErrorColumnShowsADownloadOrPreparationFailureOfThisTaskAsTheExportDoes()
    {
        var taskId = await NewTaskAsync($"errors-{Guid.NewGuid():N}");
        var (flashing, download, elsewhere) = (ConsoleWorld.GoodVins[0], ConsoleWorld.GoodVins[1], ConsoleWorld.GoodVins[2]);
        await using (var db = Db.NewContext())
        {
            db.TaskVins.AddRange(
                new TaskVin { TaskId = taskId, Vin = flashing, State = TaskVinState.Failed, ErrorType = ErrorType.UpgradeFailed, CreatedAt = DateTime.UtcNow },
                new TaskVin { TaskId = taskId, Vin = download, State = TaskVinState.Failed, CreatedAt = DateTime.UtcNow },
                new TaskVin { TaskId = taskId, Vin = elsewhere, State = TaskVinState.Notified, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        await Db.ExecuteAsync($"""
            DELETE FROM ota_vehicle_latest_status WHERE vin IN ('{flashing}', '{download}', '{elsewhere}');
            INSERT INTO ota_vehicle_latest_status (vin, status_id, task_id, state, trigger_type, error_type, reported_at) VALUES
              ('{download}', 1, {taskId}, 'Failed', 'NormalTask', 'DownloadFailed', UTC_TIMESTAMP()),
              ('{elsewhere}', 2, {taskId + 1000}, 'Failed', 'NormalTask', 'PrepareUpgradeFailed', UTC_TIMESTAMP());
            """);

        var rows = (await ActivatorUtilities.CreateInstance<TaskQueries>(world.App.Services)
            .VinsAsync(taskId, new TaskVinFilter(), new PageQuery(0, 10, null, false))).Items.ToDictionary(r => r.Vin);
        Assert.Equal(ErrorType.UpgradeFailed, rows[flashing].Failure);
        Assert.Equal(ErrorType.DownloadFailed, rows[download].Failure);
        // Another task's failure is not this task's error (the Last status column shows it, with its task).
        Assert.Null(rows[elsewhere].Failure);

        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        await world.App.Services.GetRequiredService<TaskVinWorkbook>().WriteAsync(taskId, path, CancellationToken.None);
        var exported = MiniExcelLibs.MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object>>()
            .ToDictionary(r => (string)r["VIN"], r => r["ErrorType"]?.ToString() ?? "");
        Assert.Equal(["UpgradeFailed", "DownloadFailed", ""], new[] { flashing, download, elsewhere }.Select(v => exported[v]));
    }

    [Fact]
    public async Task ASecondTaskUnderTheNameOfAnOpenOneIsRefusedBesideTheName()
    {
        var name = $"twin-{Guid.NewGuid():N}"[..20];
        var draft = await NewTaskAsync(name);
        var basics = new TaskBasics { Name = $"  {name} ", SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"), TargetVersion = "3.1.5" };
        var commands = world.As<TaskCommands>(ConsoleRoles.Operator);

        Assert.Equal($"Task #{draft} (Draft) already has this name: give this one another, or carry on with #{draft} (a draft can be published or cancelled on its page).",
            (await commands.CheckBasicsAsync(basics)).For(nameof(TaskBasics.Name)));

        // Once that one is cancelled, the name is free again.
        await using (var db = Db.NewContext())
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == draft);
            task.Cancel(DateTime.UtcNow);
            await db.SaveChangesAsync();
        }
        Assert.Null((await commands.CheckBasicsAsync(basics)).For(nameof(TaskBasics.Name)));
    }

    [Fact]
    public async Task TheBasicsCheckSaysWhatIsWrongBesideEachField()
    {
        var commands = world.As<TaskCommands>(ConsoleRoles.Operator);
        var errors = await commands.CheckBasicsAsync(new TaskBasics { Name = " ", TargetVersion = "3.9.5", SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1") });
        Assert.Equal("Give the task a name.", errors.For(nameof(TaskBasics.Name)));
        Assert.Equal("'3.9.5' is not a target version: use numbers like 3.1.5, whose middle number is 1 (OTA1) or 2 (OTA2).", errors.For(nameof(TaskBasics.TargetVersion)));

        var missing = await commands.CheckBasicsAsync(new TaskBasics { Name = "x", TargetVersion = "3.1.9", SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1") });
        Assert.StartsWith("No OTA1 full package exists for series-model S1-M1", missing.For(nameof(TaskBasics.TargetVersion)) ?? "(none)");
        Assert.EndsWith("(PKG_NOT_FOUND)", missing.For(nameof(TaskBasics.TargetVersion)));

        var strategies = await commands.CheckBasicsAsync(new TaskBasics { Name = "x", TargetVersion = "3.1.5", SeriesModelId = await world.Fleet.SeriesModelIdAsync("S3-M1") });
        Assert.Contains("STRATEGY_ECU_ORDER_MISSING", strategies.For(nameof(TaskBasics.SeriesModelId)));
    }

    [Fact]
    public async Task CreatingAConsoleAccountNeverCopiesThePasswordHashIntoTheAuditLog()
    {
        var admin = world.As<AdminService>(ConsoleRoles.Admin, "root@test.local");
        var email = $"new-{Guid.NewGuid():N}"[..16] + "@test.local";
        var issued = await admin.CreateAccountAsync(email, ConsoleRoles.Viewer);
        Assert.True(issued.Created);
        Assert.Equal(20, issued.Password.Length);

        await using var db = Db.NewContext();
        var user = await db.AuditLog.Where(a => a.User == "root@test.local" && a.Entity == "IdentityUser" && a.Action == "Created").ToListAsync();
        var created = Assert.Single(user, a => a.After!.Contains(email));
        Assert.Contains("\"PasswordHash\":\"(redacted)\"", created.After);
        Assert.DoesNotContain("AQAAAA", created.After);
        Assert.Contains(await db.AuditLog.Where(a => a.User == "root@test.local" && a.Entity == "IdentityUserRole").ToListAsync(), a => a.Action == "Created");
    }

    [Fact]
    public async Task ImportsReportEveryBadRowAndWriteNothing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, $"vin,reason\n{ConsoleWorld.GoodVins[3]},ok\nnot-a-vin,bad\n");
        var lists = world.As<ListService>(ConsoleRoles.Operator);
        var report = await lists.ImportAsync(VehicleListKind.WhitelistDowngrade, path, "list.csv");
        Assert.False(report.Succeeded);
        Assert.Equal("row 3, vin: 'not-a-vin' is not a VIN (17 characters A-Z and 0-9, without I, O, Q)", Assert.Single(report.Problems).ToString());
        Assert.Equal(0, await Db.CountAsync("ota_vehicle_whitelist", $"vin = '{ConsoleWorld.GoodVins[3]}'"));

        var corrupt = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        await File.WriteAllTextAsync(corrupt, "no workbook");
        var vehicles = world.As<VehicleService>(ConsoleRoles.Operator);
        var unreadable = await vehicles.ImportAsync(corrupt, "fleet.xlsx");
        Assert.Equal("file, -: The file is not a readable .xlsx workbook (it is not an Office Open XML file).", Assert.Single(unreadable.Problems).ToString());

        await File.WriteAllTextAsync(path, $"vin,reason\n{ConsoleWorld.GoodVins[3]},rollback allowed\n");
        var added = await lists.ImportAsync(VehicleListKind.WhitelistDowngrade, path, "list.csv");
        Assert.True(added.Succeeded);
        Assert.Equal(1, await Db.CountAsync("ota_vehicle_whitelist", $"vin = '{ConsoleWorld.GoodVins[3]}' AND type = 'Downgrade' AND is_delete = 0"));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", "action = 'List imported' AND entity_id = 'whitelist-downgrade'"));
    }
}
