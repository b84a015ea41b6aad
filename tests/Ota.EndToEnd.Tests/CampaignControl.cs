using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Tasks;
using Ota.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

/// <summary>An operator halting a campaign that has gone out, and the task page telling who did what (issue 17's bugs).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CampaignControl(BrowserFixture fixture) : Journey(fixture)
{
    private MariaDbFixture Db => Browser.Database;
    private IServiceProvider Services => Browser.App.Services;

    private Task<string[]> VehiclesAsync(char letter, int count) => Browser.VehiclesAsync(letter, count);

    private Task<long> DraftAsync(string name, string[] vins) => Browser.DraftAsync(name, vins);

    [Fact]
    public async Task AnExecutedTaskIsCancelledFromItsPageAndItsNotifiedVehiclesThatHaveNotStartedAreOwedCancelNotices()
    {
        var vins = await VehiclesAsync('C', 4);
        var taskId = await DraftAsync($"E2E executed {Guid.NewGuid():N}"[..24], vins);
        await Services.GetRequiredService<TaskPublisher>().PublishAsync(taskId, null, Browser.Operator.Email);
        await Services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, Browser.Operator.Email);
        await Eventually.WaitUntilAsync(async () => await Db.CountAsync("ota_task", $"id = {taskId} AND status = 'Executed'") == 1,
            TimeSpan.FromSeconds(60), "the task to be executed");
        // One vehicle is downloading, one is already upgrading (too late to cancel); two were notified and have not started.
        await Db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Downloading' WHERE task_id = {taskId} AND vin = '{vins[0]}'");
        await Db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Upgrading' WHERE task_id = {taskId} AND vin = '{vins[1]}'");

        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoTaskAsync(page, taskId);
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Executed");
        // Published by the operator, although the push job changed the task last.
        await Expect(page.Locator("[data-testid=published-by]")).ToContainTextAsync($"by {Browser.Operator.Email}");
        await Expect(page.Locator("[data-testid=cancel-why]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=cancel-task]")).ToBeEnabledAsync();
        await Expect(page.Locator("[data-testid=cancel-vins]")).ToBeEnabledAsync();

        await page.ClickAsync("[data-testid=cancel-task]");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("Its 0 VIN(s) not yet notified are cancelled; its notified vehicles that have not started upgrading are sent a cancel notice.");
        await page.Locator(".mud-dialog button", new() { HasText = "Cancel task" }).ClickAsync();
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Cancelled");
        await Expect(page.Locator("[data-testid=cancel-why]")).ToHaveTextAsync("The task is cancelled already: there is nothing left to cancel.");
        await Expect(page.Locator("[data-testid=cancel-task]")).ToBeDisabledAsync();

        Assert.Equal(3, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Cancelled' AND cancel_notice IS NOT NULL"));
        Assert.Equal(1, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND vin = '{vins[1]}' AND state = 'Upgrading'"));
    }

    [Fact]
    public async Task ADraftWhoseVinsWereAllTakenOverByALaterTaskIsNotPublishedIntoAnEmptyTask()
    {
        var vins = await VehiclesAsync('D', 2);
        var draft = await DraftAsync($"E2E draft {Guid.NewGuid():N}"[..24], vins);
        var later = await DraftAsync($"E2E later {Guid.NewGuid():N}"[..24], vins);
        await Services.GetRequiredService<TaskPublisher>().PublishAsync(later, DateTime.UtcNow.AddDays(1), Browser.Operator.Email);
        Assert.Equal(2, await Db.CountAsync("ota_task_vin", $"task_id = {draft} AND state = 'Superseded'"));

        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoTaskAsync(page, draft);
        await page.ClickAsync("[data-testid=publish]");
        await Expect(page.Locator("[data-testid=publish-error]")).ToContainTextAsync("None of the task's VINs is left to send");
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {draft} AND status = 'Draft'"));
    }

    [Fact]
    public async Task OnlyAnAdminIsOfferedTheDiagnosticSourceAndIsToldWhichChecksItSkips()
    {
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoAsync(page, "/tasks/new");
        await Expect(page.Locator("[data-testid=task-name]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=task-source]")).ToHaveCountAsync(0);

        page = await Browser.SignedInPageAsync(Browser.Admin);
        await Browser.GotoAsync(page, "/tasks/new");
        await page.Locator("[data-testid=task-name]").FillAsync($"E2E diagnostic {Guid.NewGuid():N}"[..24]);
        await BrowserFixture.SelectAsync(page, "task-series-model", "S1-M1 ·");
        await page.Locator("[data-testid='version-3.1.5']").ClickAsync();
        await BrowserFixture.SelectAsync(page, "task-source", "Diagnostic");
        await page.ClickAsync("[data-testid=to-upload]");
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("BLACKLISTED: The vehicle is on the blacklist.");
        await Expect(dialog).ToContainTextAsync("SAME_VERSION_NOT_WHITELISTED");
        await BrowserFixture.ScreenshotAsync(page, "diagnostic-confirmation");
        await page.Locator(".mud-dialog button", new() { HasText = "Go back" }).ClickAsync();
        await Expect(page.Locator("[data-testid=basics]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=upload-step]")).ToHaveCountAsync(0);

        await page.ClickAsync("[data-testid=to-upload]");
        await page.Locator(".mud-dialog button", new() { HasText = "Make a Diagnostic task" }).ClickAsync();
        await Expect(page.Locator("[data-testid=upload-step]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AddressesThatLeadNowhereSaySoInWordsAndTheConsoleGoesOn()
    {
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        var response = await page.GotoAsync($"{Browser.BaseUrl}/tasks/abc");
        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("body")).ToContainTextAsync("There is no page at this address.");

        await Browser.GotoAsync(page, "/tasks/new?run=abc");
        await Expect(page.Locator("[data-testid=run-missing]")).ToContainTextAsync("There is no upload 'abc'.");
        await page.ReloadAsync();
        await Expect(page.Locator("[data-testid=run-missing]")).ToContainTextAsync("There is no upload 'abc'.");
        // The prerendered page shows the words before its circuit is up; a click in between was lost on a loaded machine.
        await page.WaitForSelectorAsync("body[data-interactive=true]");
        await page.Locator("[data-testid=run-missing] a").ClickAsync();
        await Expect(page.Locator("[data-testid=task-name]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task TheHealthLinkOpensAPageThatSaysWhatAnswersInWords()
    {
        var page = await Browser.SignedInPageAsync(Browser.Viewer);
        await Browser.GotoAsync(page, "/");
        await page.ClickAsync("[data-testid=health-link]");
        await Browser.WaitForUrlAsync(page, "**/service-health");
        await Expect(page.Locator("[data-testid=health-overall]")).ToHaveTextAsync("Everything this instance needs answers.");
        foreach (var part in new[] { "mysql", "redis", "mqtt" })
            await Expect(page.Locator($"[data-testid=health-{part}]")).ToContainTextAsync("Healthy");
        await Expect(page.Locator("[data-testid=health-mysql]")).ToContainTextAsync("MariaDB");
    }

    [Fact]
    public async Task TheDashboardAndTheTaskListReadWellAtALaptopsWidth()
    {
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await page.SetViewportSizeAsync(1440, 900);

        // The failures by error type are labelled in body text, not in a chart scaled down to a few pixels.
        await Browser.GotoAsync(page, "/");
        var upgradeFailed = page.Locator("[data-testid=failure-UpgradeFailed]");
        await Expect(upgradeFailed).ToContainTextAsync("UpgradeFailed: 1");
        await Expect(page.Locator("[data-testid=failure-DownloadFailed]")).ToContainTextAsync("DownloadFailed: 1");
        var fontSize = await upgradeFailed.Locator("p").EvaluateAsync<string>("e => getComputedStyle(e).fontSize");
        Assert.True(double.Parse(fontSize.Replace("px", ""), System.Globalization.CultureInfo.InvariantCulture) >= 12, fontSize);

        // Every column of the task list is on screen; a draft without VINs counts 0 instead of waiting for ever.
        await Browser.GotoAsync(page, "/tasks");
        var lastHeader = page.Locator("[data-testid=task-list] th", new() { HasText = "Created (UTC)" });
        await Expect(lastHeader).ToBeVisibleAsync();
        var box = (await lastHeader.BoundingBoxAsync())!;
        Assert.True(box.X + box.Width <= 1440, $"the last column ends at {box.X + box.Width} px");
        var draftRow = page.Locator("[data-testid=task-list] tr", new() { HasText = "Summer campaign draft" });
        await Expect(draftRow.Locator("td").Nth(7)).ToHaveTextAsync("0");
        await Expect(draftRow.Locator("[data-testid=task-source]")).ToHaveTextAsync("Console");
        await BrowserFixture.ScreenshotAsync(page, "tasks-1440");
    }

    [Fact]
    public async Task MakingAStrategyTheDefaultAsksFirstNamingWhatItReplacesAndHowManyVehicles()
    {
        await using var db = Db.NewContext();
        var strategies = await db.Strategies.ToDictionaryAsync(s => s.Name, s => s.Id);
        var (standard, cockpit) = (strategies["S1-M1 standard"], strategies["S1-M1 full, cockpit and battery only"]);
        var vehicles = await Db.CountAsync("ota_vehicle", $"series_model_id = {await Browser.Fleet.SeriesModelIdAsync("S1-M1")}");
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoAsync(page, $"/strategies/{cockpit}");

        await page.Locator("[data-testid=sm-S1-M1] [data-testid=make-default]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("It replaces 'S1-M1 standard'.");
        await Expect(dialog).ToContainTextAsync($"The {vehicles:N0} vehicle(s) of S1-M1 without a strategy of their own");
        await page.Locator(".mud-dialog button", new() { HasText = "Keep the default" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(1, await Db.CountAsync("ota_upgrade_strategy_veh_relation", $"strategy_id = {standard} AND is_default = 1"));

        // Said yes to, it moves; and back again, for the other journeys.
        await page.Locator("[data-testid=sm-S1-M1] [data-testid=make-default]").ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Make it the default of S1-M1" }).ClickAsync();
        await Eventually.WaitUntilAsync(async () => await Db.CountAsync("ota_upgrade_strategy_veh_relation", $"strategy_id = {cockpit} AND is_default = 1") == 1,
            TimeSpan.FromSeconds(20), "the new default");
        await Browser.GotoAsync(page, $"/strategies/{standard}");
        await page.Locator("[data-testid=sm-S1-M1] [data-testid=make-default]").ClickAsync();
        await Expect(dialog).ToContainTextAsync("It replaces 'S1-M1 full, cockpit and battery only'.");
        await page.Locator(".mud-dialog button", new() { HasText = "Make it the default of S1-M1" }).ClickAsync();
        await Eventually.WaitUntilAsync(async () => await Db.CountAsync("ota_upgrade_strategy_veh_relation", $"strategy_id = {standard} AND is_default = 1") == 1,
            TimeSpan.FromSeconds(20), "the standard default back");
    }

    [Fact]
    public async Task LeavingAStrategyWithAnUnsavedEcuOrderAsksFirst()
    {
        long cockpit;
        await using (var db = Db.NewContext())
            cockpit = await db.Strategies.Where(s => s.Name == "S1-M1 full, cockpit and battery only").Select(s => s.Id).SingleAsync();
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        var nav = page.Locator("nav a[href='/vehicles'], .mud-navmenu a[href='/vehicles']").First;

        // Nothing changed: leaving asks nothing.
        await Browser.GotoAsync(page, $"/strategies/{cockpit}");
        await nav.ClickAsync();
        await Browser.WaitForUrlAsync(page, "**/vehicles");

        // An ECU moved up and not saved: leaving asks, and staying keeps the change on screen.
        await Browser.GotoAsync(page, $"/strategies/{cockpit}");
        var orders = page.Locator("[data-testid=ordered-zone] [data-testid=order]");
        await Expect(orders.First).ToBeVisibleAsync();
        var before = await page.Locator("[data-testid=ordered-zone]").InnerTextAsync();
        await page.Locator("[data-testid=ordered-zone] button[data-testid=ecu-up]:not([disabled])").First.ClickAsync();
        await Expect(page.Locator("[data-testid=ordered-zone]")).Not.ToHaveTextAsync(before);
        var changed = await page.Locator("[data-testid=ordered-zone]").InnerTextAsync();
        await nav.ClickAsync();
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("This strategy has changes that are not saved");
        await page.Locator(".mud-dialog button", new() { HasText = "Stay and save" }).ClickAsync();
        Assert.EndsWith($"/strategies/{cockpit}", page.Url);
        Assert.Equal(changed, await page.Locator("[data-testid=ordered-zone]").InnerTextAsync());

        await nav.ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Leave and drop them" }).ClickAsync();
        await Browser.WaitForUrlAsync(page, "**/vehicles");
    }

    [Fact]
    public async Task RevokingAPackageFromItsPageNamesTheLiveTasksItPausesAndPausesThem()
    {
        // A live task sending S1-M1 3.1.6 (a Testing package no other journey uses).
        long taskId;
        await using (var db = Db.NewContext())
        {
            var task = new UpgradeTask
            {
                Name = $"E2E revoked {Guid.NewGuid():N}"[..24], Type = TaskType.Test, Source = TaskSource.Console,
                SeriesModelId = await Browser.Fleet.SeriesModelIdAsync("S1-M1"), TargetVersion = "3.1.6", Generation = Generation.OTA1,
                CreatedBy = "seed", CreatedAt = DateTime.UtcNow, ScheduledAt = DateTime.UtcNow.AddDays(1),
            };
            task.Publish(DateTime.UtcNow, "seed");
            db.Tasks.Add(task);
            await db.SaveChangesAsync();
            taskId = task.Id;
        }
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoAsync(page, "/packages");
        var actions = page.Locator("[data-testid='package-actions-3.1.6-OTA1-full']");
        await Expect(actions.Locator("[data-testid=package-release]")).ToBeVisibleAsync();

        await actions.Locator("[data-testid=package-revoke]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Expect(dialog).ToContainTextAsync("1 live task(s) pause within seconds (PACKAGE_REVOKED)");
        await Expect(dialog).ToContainTextAsync($"#{taskId} 'E2E revoked");
        await page.Locator(".mud-dialog button", new() { HasText = "Revoke it" }).ClickAsync();

        await Expect(page.Locator("[data-testid=package-list] tr", new() { HasText = "3.1.6" }).First).ToContainTextAsync("Revoked");
        await Expect(actions.Locator("button")).ToHaveCountAsync(0);
        await Eventually.WaitUntilAsync(async () => await Db.CountAsync("ota_task", $"id = {taskId} AND status = 'Paused'") == 1,
            TimeSpan.FromSeconds(20), "the task to pause");
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"user = '{Browser.Operator.Email}' AND entity = 'TotalFullPackage' AND `before` LIKE '%Testing%' AND after LIKE '%Revoked%'"));
    }

    [Fact]
    public async Task ALiveTasksFunnelFollowsThePushAndAVehiclesReportWithoutAReload()
    {
        var vins = await VehiclesAsync('L', 3);
        var taskId = await DraftAsync($"E2E live {Guid.NewGuid():N}"[..24], vins);
        await Services.GetRequiredService<TaskPublisher>().PublishAsync(taskId, DateTime.UtcNow.AddDays(1), Browser.Operator.Email);
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoTaskAsync(page, taskId);
        var notified = page.Locator("[data-testid=funnel-Notified] [data-testid=funnel-count]");
        var succeeded = page.Locator("[data-testid=funnel-Succeeded] [data-testid=funnel-count]");
        await Expect(notified).ToHaveTextAsync("0 (0 %)");
        // A mark the page keeps until it is loaded again.
        await page.EvaluateAsync("() => window.otaNotReloaded = true");

        await page.ClickAsync("[data-testid=push-now]");
        await Expect(notified).ToHaveTextAsync("3 (100 %)", new() { Timeout = 30_000 });

        // A vehicle's success report, as the vehicle API stores it: the funnel moves on the next refresh.
        await Db.ExecuteAsync($"""
            INSERT INTO ota_vehicle_latest_status (vin, status_id, task_id, state, trigger_type, error_type, reported_at)
            VALUES ('{vins[0]}', 1, {taskId}, 'Succeeded', 'NormalTask', NULL, UTC_TIMESTAMP())
            """);
        // The page reads each second and live pages share a read for a second: about 2 s at worst on a quiet machine.
        await Expect(succeeded).ToHaveTextAsync("1 (33 %)");
        Assert.True(await page.EvaluateAsync<bool>("() => window.otaNotReloaded === true"), "the page was loaded again");
    }
}
