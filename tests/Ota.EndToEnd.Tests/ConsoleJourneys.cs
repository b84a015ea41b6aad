using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniExcelLibs;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Domain.Tasks;
using Ota.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

/// <summary>What operators do in the console, in Chromium, against the real app and database.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private MariaDbFixture Db => Browser.Database;

    [Fact]
    public async Task AnOperatorUploadsAVinExcelWatchesItValidateDownloadsTheRejectedAndPublishes()
    {
        var name = $"E2E campaign {Guid.NewGuid():N}"[..24];
        var list = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        string[] entries = [BrowserFixture.GoodVins[0], BrowserFixture.GoodVins[1], BrowserFixture.GoodVins[2].ToLowerInvariant(),
            BrowserFixture.UnknownFirmwareVin, TestFleet.TestVin(77, 'X'), "not a vin", BrowserFixture.GoodVins[0]];
        MiniExcel.SaveAs(list, entries.Select(e => new Dictionary<string, object> { ["VIN"] = e }));
        var page = await Browser.SignedInPageAsync(Browser.Operator);

        await Browser.GotoAsync(page, "/tasks/new");
        await page.Locator("[data-testid=task-name]").FillAsync(name);
        await BrowserFixture.SelectAsync(page, "task-series-model", "S1-M1 ·");
        await page.Locator("[data-testid='version-3.1.5']").ClickAsync();
        await Expect(page.Locator("[data-testid=task-target]")).ToHaveValueAsync("3.1.5");
        await BrowserFixture.ScreenshotAsync(page, "new-task-basics");
        await page.ClickAsync("[data-testid=to-upload]");
        await Expect(page.Locator("[data-testid=upload-step]")).ToContainTextAsync($"VIN list for '{name}'");
        await Expect(page.Locator("[data-testid=template-download]")).ToHaveAttributeAsync("href", "/console/downloads/vin-template.xlsx");

        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=upload-step] input[type=file]"), list);
        await Browser.WaitForUrlAsync(page, "**/tasks/new?run=*");
        var runId = long.Parse(page.Url[(page.Url.IndexOf("run=", StringComparison.Ordinal) + 4)..]);
        await Expect(page.Locator("[data-testid=verdict-summary]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=accepted-count]")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-testid=rejected-count]")).ToHaveTextAsync("4");
        foreach (var code in new[] { "VEHICLE_NOT_FOUND", "FIRMWARE_UNKNOWN", "VIN_MALFORMED", "VIN_DUPLICATE" })
            await Expect(page.Locator($"[data-testid=reason-{code}]")).ToContainTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "new-task-verdict");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=download-rejected]"));
        Assert.Equal($"validation-run-{runId}-rejected.xlsx", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(saved);
        var rejected = MiniExcel.Query(saved, useHeaderRow: true).Cast<IDictionary<string, object>>()
            .ToDictionary(r => (string)r["VIN"], r => (string)r["Codes"]);
        Assert.Equal(new Dictionary<string, string>
        {
            [BrowserFixture.UnknownFirmwareVin] = "FIRMWARE_UNKNOWN",
            [TestFleet.TestVin(77, 'X')] = "VEHICLE_NOT_FOUND",
            ["not a vin"] = "VIN_MALFORMED",
            [BrowserFixture.GoodVins[0]] = "VIN_DUPLICATE",
        }, rejected);

        // Scheduled for tomorrow, so the push job (every minute) leaves it as published here; publishing asks first,
        // naming how many vehicles it reaches.
        await page.Locator("label.mud-radio", new() { HasText = "Schedule" }).ClickAsync();
        await page.Locator("input[type=datetime-local]").Last.FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=publish]");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Send this task to 3 vehicle(s)?");
        await page.Locator(".mud-dialog button", new() { HasText = "Publish to 3 vehicle(s)" }).ClickAsync();
        await Expect(page.Locator("[data-testid=published]")).ToBeVisibleAsync();
        long taskId;
        await using (var db = Db.NewContext())
            taskId = await db.Tasks.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {taskId} AND status = 'Published' AND created_by = '{Browser.Operator.Email}' AND published_by = '{Browser.Operator.Email}'"));
        Assert.Equal(3, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending'"));
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {taskId} AND scheduled_at > UTC_TIMESTAMP() + INTERVAL 20 HOUR"));

        await page.ClickAsync("[data-testid=open-task]");
        await Browser.WaitForUrlAsync(page, $"**/tasks/{taskId}");
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Published");
        await Expect(page.Locator("[data-testid=task-funnel]")).ToContainTextAsync("3 VINs · 3 waiting to be sent");
        await Expect(page.Locator("[data-testid=task-vins] tbody tr")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "task-detail", fullPage: true);
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Published' AND entity_id = '{taskId}' AND user = '{Browser.Operator.Email}'"));

        // Cancel one VIN of the three: ticked in the table, confirmed in the dialog, carried out by the push job's operations.
        await page.Locator("[data-testid=task-vins] tbody tr").First.Locator("input[type=checkbox]").CheckAsync();
        await page.ClickAsync("[data-testid=cancel-vins]");
        await page.Locator(".mud-dialog button", new() { HasText = "Cancel VINs" }).ClickAsync();
        // The "Published" snackbar may still be showing (its timer pauses while the pointer rests on it): look for this one.
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "1 VIN(s) cancelled" })).ToBeVisibleAsync();
        Assert.Equal(1, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Cancelled' AND updated_by = '{Browser.Operator.Email}'"));
        Assert.Equal(2, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state IN ('Pending', 'Notified')"));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'CancelVins' AND entity_id = '{taskId}' AND user = '{Browser.Operator.Email}'"));
    }

    [Fact]
    public async Task ACorruptFileAndAnEmptyListAreRefusedInWordsAndCreateNoTask()
    {
        var name = $"E2E bad files {Guid.NewGuid():N}"[..24];
        var corrupt = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(corrupt, "this is not a workbook at all"u8.ToArray());
        var empty = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(empty, "VIN\n");
        var page = await Browser.SignedInPageAsync(Browser.Operator);

        await Browser.GotoAsync(page, "/tasks/new");
        await page.ClickAsync("[data-testid=to-upload]");
        await Expect(page.Locator("[data-testid=task-name]")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("[data-testid=basics]")).ToContainTextAsync("Give the task a name.");
        await Expect(page.Locator("[data-testid=basics]")).ToContainTextAsync("Choose the series-model.");
        await page.Locator("[data-testid=task-name]").FillAsync(name);
        await BrowserFixture.SelectAsync(page, "task-series-model", "S1-M1 ·");
        // The series-model's packages appear above the button; the click waits until they have.
        await Expect(page.Locator("[data-testid='version-3.1.5']")).ToBeVisibleAsync();
        await page.Locator("[data-testid=task-target]").FillAsync("3.1.9");
        await page.ClickAsync("[data-testid=to-upload]");
        await Expect(page.Locator("[data-testid=basics]")).ToContainTextAsync("(PKG_NOT_FOUND)");
        await page.Locator("[data-testid=task-target]").FillAsync("3.1.5");
        await page.ClickAsync("[data-testid=to-upload]");

        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=upload-step] input[type=file]"), corrupt);
        await Browser.WaitForUrlAsync(page, "**/tasks/new?run=*");
        await Expect(page.Locator("[data-testid=run-failed]")).ToHaveTextAsync(
            "The file is not a readable .xlsx workbook (it is not an Office Open XML file). (FILE_UNREADABLE)", new() { Timeout = 60_000 });
        await page.ClickAsync("[data-testid=upload-again]");
        await Expect(page.Locator("[data-testid=upload-error]")).ToContainTextAsync("(FILE_UNREADABLE)");

        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=upload-step] input[type=file]"), empty);
        await Browser.WaitForUrlAsync(page, "**/tasks/new?run=*");
        await Expect(page.Locator("[data-testid=task-rejected]")).ToContainTextAsync("VIN_LIST_EMPTY: ", new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(page, "new-task-empty-list");
        await page.ClickAsync("[data-testid=upload-again]");
        await Expect(page.Locator("[data-testid=upload-error]")).ToHaveTextAsync("The list holds no VINs. (VIN_LIST_EMPTY)");

        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=upload-step] input[type=file]"), new FilePayload { Name = "vins.pdf", MimeType = "application/pdf", Buffer = "%PDF"u8.ToArray() });
        await Expect(page.Locator("[data-testid=upload-error]")).ToHaveTextAsync("Files of type '.pdf' are not supported: upload a .xlsx or .csv file.");
        Assert.Equal(0, await Db.CountAsync("ota_task", $"name = '{name}'"));
    }

    [Fact]
    public async Task MovingATaskUpChangesTheOrderOfTheList()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ids = new List<long>();
        await using (var db = Db.NewContext())
        {
            var sm = await Browser.Fleet.SeriesModelIdAsync("S1-M1");
            foreach (var letter in new[] { "A", "B", "C" })
            {
                var task = new UpgradeTask
                {
                    Name = $"order {letter} {suffix}", Type = TaskType.Normal, Source = TaskSource.Console, SeriesModelId = sm, TargetVersion = "3.1.5",
                    Generation = Generation.OTA1, Priority = 700, CreatedBy = "e2e", CreatedAt = DateTime.UtcNow,
                };
                db.Tasks.Add(task);
                await db.SaveChangesAsync();
                ids.Add(task.Id);
            }
        }
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoAsync(page, "/tasks");
        await page.Locator("[data-testid=filter-name]").FillAsync(suffix);
        await page.Locator("[data-testid=filter-name]").PressAsync("Enter");
        var names = page.Locator("[data-testid=task-link]");
        await Expect(names).ToHaveTextAsync([$"order C {suffix}", $"order B {suffix}", $"order A {suffix}"]);

        await page.Locator($"[data-testid=priority-{ids[0]}] button[data-testid=move-up]").ClickAsync();

        await Expect(names).ToHaveTextAsync([$"order C {suffix}", $"order A {suffix}", $"order B {suffix}"]);
        await BrowserFixture.ScreenshotAsync(page, "tasks-priority");
        await using var check = Db.NewContext();
        var priorities = await check.Tasks.Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Priority);
        Assert.True(priorities[ids[0]] > priorities[ids[1]] || (priorities[ids[0]] == priorities[ids[1]] && ids[0] > ids[1]));

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-interactive=true]");
        await page.Locator("[data-testid=filter-name]").FillAsync(suffix);
        await page.Locator("[data-testid=filter-name]").PressAsync("Enter");
        await Expect(names).ToHaveTextAsync([$"order C {suffix}", $"order A {suffix}", $"order B {suffix}"]);
    }

    [Fact]
    public async Task EditingAStrategysEcuOrderSaysWhatIsMissingAndSavesTheNewOrder()
    {
        long strategyId;
        Dictionary<string, long> ecus;
        await using (var db = Db.NewContext())
        {
            ecus = await db.Ecus.ToDictionaryAsync(e => e.Code, e => e.Id);
            var strategy = new UpgradeStrategy
            {
                Name = $"e2e order {Guid.NewGuid():N}"[..20], PackageType = StrategyPackageType.Auto, VersionCompare = VersionCompare.Auto,
                UpgradeMode = UpgradeMode.UserConfirm, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            };
            db.Strategies.Add(strategy);
            await db.SaveChangesAsync();
            strategyId = strategy.Id;
            db.StrategyEcus.AddRange(
                new StrategyEcuRelation { StrategyId = strategyId, EcuId = ecus["CDC"], UpgradeOrder = 1, IsUpgrade = true },
                new StrategyEcuRelation { StrategyId = strategyId, EcuId = ecus["BMS"], UpgradeOrder = 2, IsUpgrade = true },
                new StrategyEcuRelation { StrategyId = strategyId, EcuId = ecus["TBOX"], UpgradeOrder = null, IsUpgrade = true });
            await db.SaveChangesAsync();
        }
        async Task<string> StoredOrderAsync()
        {
            await using var db = Db.NewContext();
            var rows = await db.StrategyEcus.Where(r => r.StrategyId == strategyId).ToListAsync();
            return string.Join(" ", rows.OrderBy(r => r.UpgradeOrder ?? int.MaxValue).Select(r => $"{ecus.Single(e => e.Value == r.EcuId).Key}={r.UpgradeOrder?.ToString() ?? "-"}"));
        }
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoAsync(page, $"/strategies/{strategyId}");

        await Expect(page.Locator("[data-testid=ecu-order-missing]")).ToContainTextAsync("TBOX has no upgrade order");
        await page.ClickAsync("[data-testid=save-strategy]");
        await Expect(page.Locator("[data-testid=ecus-error]")).ToHaveTextAsync("No upgrade order for TBOX: put it in the order or remove it (STRATEGY_ECU_ORDER_MISSING).");
        await Expect(page.Locator("[data-testid=save-error]")).ToHaveTextAsync("Not saved: see the messages above.");
        await BrowserFixture.ScreenshotAsync(page, "strategy-order-missing");
        Assert.Equal("CDC=1 BMS=2 TBOX=-", await StoredOrderAsync());

        // Drag the ECU without an order into the order, then move BMS first with its arrow.
        await page.Locator("[data-testid=ecu-TBOX]").DragToAsync(page.Locator("[data-testid=ordered-zone]"));
        await Expect(page.Locator("[data-testid=ecu-order-missing]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=ecu-TBOX] [data-testid=order]")).Not.ToHaveTextAsync("no order");
        await Expect(page.Locator("[data-testid=ordered-zone] [data-testid=order]")).ToHaveTextAsync(["1", "2", "3"]);
        // Where the drop lands depends on the pointer; the arrows then bring BMS to the front one place at a time.
        var bmsOrder = page.Locator("[data-testid=ecu-BMS] [data-testid=order]");
        for (var place = int.Parse((await bmsOrder.TextContentAsync())!.Trim()); place > 1; place--)
        {
            await page.Locator("[data-testid=ecu-BMS] button[data-testid=ecu-up]").ClickAsync();
            await Expect(bmsOrder).ToHaveTextAsync((place - 1).ToString());
        }
        await Expect(page.Locator("[data-testid=ecu-CDC] [data-testid=order]")).Not.ToHaveTextAsync("1");
        await page.ClickAsync("[data-testid=save-strategy]");
        await Expect(page.Locator(".mud-snackbar", new() { HasText = "saved" })).ToBeVisibleAsync();
        var stored = await StoredOrderAsync();
        Assert.StartsWith("BMS=1 ", stored);
        Assert.Contains("CDC=", stored);
        Assert.Contains("TBOX=", stored);
        Assert.DoesNotContain("=-", stored);
        var cdcOrder = stored.Split(' ').Single(p => p.StartsWith("CDC=", StringComparison.Ordinal))[4..];

        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-interactive=true]");
        await Expect(page.Locator("[data-testid=ecu-BMS] [data-testid=order]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-testid=ecu-CDC] [data-testid=order]")).ToHaveTextAsync(cdcOrder);
        await Expect(page.Locator("[data-testid=ecu-order-missing]")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "strategy-edit");
        Assert.True(await Db.CountAsync("ota_audit_log", $"user = '{Browser.Operator.Email}' AND entity = 'StrategyEcuRelation' AND action = 'Updated'") >= 2);
    }

    [Fact]
    public async Task AViewerCanLookButCannotEdit()
    {
        long strategyId;
        long taskId;
        await using (var db = Db.NewContext())
        {
            strategyId = await db.Strategies.Where(s => s.Name == "S1-M1 standard").Select(s => s.Id).SingleAsync();
            var task = new UpgradeTask
            {
                Name = $"viewer sees {Guid.NewGuid():N}"[..24], Type = TaskType.Normal, Source = TaskSource.Console,
                SeriesModelId = await Browser.Fleet.SeriesModelIdAsync("S1-M1"), TargetVersion = "3.1.5", Generation = Generation.OTA1,
                CreatedBy = "e2e", CreatedAt = DateTime.UtcNow,
            };
            db.Tasks.Add(task);
            await db.SaveChangesAsync();
            taskId = task.Id;
        }
        var page = await Browser.SignedInPageAsync(Browser.Viewer);

        await Browser.GotoAsync(page, "/tasks");
        await Expect(page.Locator($"[data-testid=priority-{taskId}]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=new-task]")).ToHaveCountAsync(0);
        await Expect(page.Locator($"[data-testid=priority-{taskId}] button[data-testid=move-up]")).ToBeDisabledAsync();
        await Expect(page.Locator($"[data-testid=priority-{taskId}] button[data-testid=move-down]")).ToBeDisabledAsync();

        await Browser.GotoAsync(page, $"/strategies/{strategyId}");
        await Expect(page.Locator("[data-testid=read-only]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=save-strategy]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=ecu-up], [data-testid=ecu-down], [data-testid=ecu-remove]")).ToHaveCountAsync(0);

        await Browser.GotoTaskAsync(page, taskId);
        await Expect(page.Locator("[data-testid=publish]")).ToBeDisabledAsync();

        await Browser.GotoAsync(page, "/lists");
        await Expect(page.Locator("[data-testid=list-add]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=list-export]")).ToBeVisibleAsync();

        foreach (var path in new[] { "/tasks/new", "/users", "/audit", "/api-keys" })
        {
            await Browser.GotoAsync(page, path);
            await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        }
        await Expect(page.Locator("nav").GetByText("Users", new LocatorGetByTextOptions { Exact = true })).ToHaveCountAsync(0);
        Assert.Equal(0, await Db.CountAsync("ota_audit_log", $"user = '{Browser.Viewer.Email}' AND action <> 'Signed in'"));
    }
}
