using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

/// <summary>The console as a control room (issue 17): fleet versions to a task, a VIN across tasks, four-eyes publishing, live lists.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ControlRoom(BrowserFixture fixture) : Journey(fixture)
{
    private MariaDbFixture Db => Browser.Database;
    private IServiceProvider Services => Browser.App.Services;

    private Task<string[]> VehiclesAsync(char letter, int count) => Browser.VehiclesAsync(letter, count);

    private Task<long> DraftAsync(string name, string[] vins) => Browser.DraftAsync(name, vins);

    [Fact]
    public async Task AFleetVersionSelectionBecomesATaskValidatedLikeAnUploadedList()
    {
        await VehiclesAsync('V', 3);
        var firmware = (await Browser.Fleet.VehicleAsync(BrowserFixture.GoodVins[0])).FirmwareVersion;
        var seriesModel = await Browser.Fleet.SeriesModelIdAsync("S1-M1");
        var page = await Browser.SignedInPageAsync(Browser.Operator);

        await Browser.GotoAsync(page, "/fleet-versions");
        var share = page.Locator($"[data-testid='share-S1-M1-{firmware}']");
        var matching = await Db.CountAsync("ota_vehicle", $"series_model_id = {seriesModel} AND firmware_version = '{firmware}'");
        await Expect(share.Locator("[data-testid=share-count]")).ToHaveTextAsync(matching.ToString("N0"));
        await share.Locator("[data-testid=pick-share]").ClickAsync();
        await Expect(page.Locator("[data-testid=selection-count]")).ToHaveTextAsync($"{matching:N0} vehicle(s)");
        await BrowserFixture.ScreenshotAsync(page, "fleet-versions");

        await page.ClickAsync("[data-testid=task-from-selection]");
        await Browser.WaitForUrlAsync(page, $"**/tasks/new?sm={seriesModel}&fw={firmware}");
        await page.Locator("[data-testid=task-name]").FillAsync($"E2E selection {Guid.NewGuid():N}"[..24]);
        // The selection's series-model is chosen already, its versions offered.
        await page.Locator("[data-testid='version-3.1.5']").ClickAsync();
        await page.ClickAsync("[data-testid=to-upload]");
        await Expect(page.Locator("[data-testid=selection-source]")).ToContainTextAsync($"S1-M1, firmware {firmware}, {matching:N0} vehicle(s) now");
        await page.ClickAsync("[data-testid=validate-selection]");
        await Browser.WaitForUrlAsync(page, "**/tasks/new?run=*");
        await Expect(page.Locator("[data-testid=verdict-summary]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var runId = long.Parse(page.Url[(page.Url.IndexOf("run=", StringComparison.Ordinal) + 4)..]);
        var progress = await Services.GetRequiredService<TaskValidationService>().GetProgressAsync(runId);
        Assert.Equal(matching, progress.DistinctVins);
        Assert.Equal(matching, progress.Accepted + progress.Rejected);
        Assert.True(progress.Accepted > 0);
    }

    [Fact]
    public async Task AVinTypedInTheTaskListOpensEveryTaskThatHoldsIt()
    {
        var vins = await VehiclesAsync('S', 1);
        var first = await DraftAsync($"E2E vin a {Guid.NewGuid():N}"[..24], vins);
        var second = await DraftAsync($"E2E vin b {Guid.NewGuid():N}"[..24], vins);
        var page = await Browser.SignedInPageAsync(Browser.Viewer);

        await Browser.GotoAsync(page, "/tasks");
        await page.Locator("[data-testid=find-vin]").FillAsync("not a vin");
        await page.Locator("[data-testid=find-vin]").PressAsync("Enter");
        await Expect(page.GetByText("Type a whole VIN: 17 letters and digits, no I, O or Q.")).ToBeVisibleAsync();
        await page.Locator("[data-testid=find-vin]").FillAsync(vins[0].ToLowerInvariant());
        // Typing again clears the complaint: the console has the new text before Enter is pressed.
        await Expect(page.GetByText("Type a whole VIN: 17 letters and digits, no I, O or Q.")).ToBeHiddenAsync();
        await page.Locator("[data-testid=find-vin]").PressAsync("Enter");

        await Browser.WaitForUrlAsync(page, $"**/vehicles/{vins[0]}");
        var campaigns = page.Locator("[data-testid=vin-campaigns]");
        await Expect(campaigns.Locator($"[data-testid=campaign-{first}] [data-testid=campaign-state]")).ToHaveTextAsync("Pending");
        await Expect(campaigns.Locator($"[data-testid=campaign-{second}] [data-testid=campaign-state]")).ToHaveTextAsync("Pending");
        await BrowserFixture.ScreenshotAsync(page, "vin-campaigns");
    }

    [Fact]
    public async Task ABigFormalTaskIsSentOnlyWhenASecondOperatorApprovesIt()
    {
        var vins = await VehiclesAsync('R', 21);
        var taskId = await DraftAsync($"E2E four eyes {Guid.NewGuid():N}"[..24], vins);
        var page = await Browser.SignedInPageAsync(Browser.Operator);
        await Browser.GotoTaskAsync(page, taskId);
        await page.Locator("[data-testid=publish-when] input[type=radio]").Last.CheckAsync();
        await page.Locator("input[type=datetime-local]").Last.FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=publish]");
        await Expect(page.Locator(".mud-dialog")).ToContainTextAsync("This task would reach 21 vehicle(s), more than the 20 one operator may publish alone.");
        await page.Locator(".mud-dialog button", new() { HasText = "Ask for approval" }).ClickAsync();
        await Expect(page.Locator("[data-testid=awaiting-approval]")).ToContainTextAsync($"{Browser.Operator.Email} asked to publish this task");
        await Expect(page.Locator("[data-testid=approve-publish]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid=approve-why]")).ToHaveTextAsync("You asked for it: another operator approves it.");
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {taskId} AND status = 'Draft'"));

        var second = await Browser.SignedInPageAsync(Browser.Admin);
        await Browser.GotoTaskAsync(second, taskId);
        await BrowserFixture.ScreenshotAsync(second, "four-eyes-approval");
        await second.ClickAsync("[data-testid=approve-publish]");
        await second.Locator(".mud-dialog button", new() { HasText = "Publish to 21 vehicle(s)" }).ClickAsync();
        await Expect(second.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Published");
        await Expect(second.Locator("[data-testid=published-by]")).ToContainTextAsync($"by {Browser.Operator.Email}, approved by {Browser.Admin.Email}");
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Publish requested' AND entity_id = '{taskId}' AND user = '{Browser.Operator.Email}'"));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Publish approved' AND entity_id = '{taskId}' AND user = '{Browser.Admin.Email}'"));
    }

    [Fact]
    public async Task TheTaskListAndTheDashboardFollowALiveTaskWithoutAReload()
    {
        var vins = await VehiclesAsync('T', 2);
        var name = $"E2E follow {Guid.NewGuid():N}"[..24];
        var taskId = await DraftAsync(name, vins);
        await Services.GetRequiredService<TaskPublisher>().PublishAsync(taskId, DateTime.UtcNow.AddDays(1), Browser.Operator.Email);
        var list = await Browser.SignedInPageAsync(Browser.Viewer);
        await Browser.GotoAsync(list, "/tasks");
        await list.Locator("[data-testid=filter-name]").FillAsync(name);
        var row = list.Locator("[data-testid=task-list] tbody tr", new() { HasText = name });
        await Expect(row.Locator("[data-testid=task-done]")).ToHaveTextAsync("0 % done");
        var dashboard = await Browser.SignedInPageAsync(Browser.Viewer);
        await Browser.GotoAsync(dashboard, "/");
        var active = dashboard.Locator($"[data-testid=active-{taskId}] [data-testid=active-done]");
        await Expect(active).ToContainTextAsync("0 succeeded");
        await list.EvaluateAsync("() => window.otaNotReloaded = true");
        await dashboard.EvaluateAsync("() => window.otaNotReloaded = true");

        // One vehicle comes to success (as the follow-up decision records it); both pages follow by themselves.
        await Db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Succeeded' WHERE task_id = {taskId} AND vin = '{vins[0]}'");
        await Expect(row.Locator("[data-testid=task-done]")).ToHaveTextAsync("50 % done", new() { Timeout = 10_000 });
        await Expect(active).ToContainTextAsync("1 succeeded", new() { Timeout = 10_000 });
        Assert.True(await list.EvaluateAsync<bool>("() => window.otaNotReloaded === true"), "the list was loaded again");
        Assert.True(await dashboard.EvaluateAsync<bool>("() => window.otaNotReloaded === true"), "the dashboard was loaded again");
        await BrowserFixture.ScreenshotAsync(dashboard, "dashboard-live");
    }
}
