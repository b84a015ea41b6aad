using Microsoft.EntityFrameworkCore;
using Ota.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

/// <summary>A staged rollout (SPEC §12) in the console: planned in the new-task form, paused by its error threshold, then handled by an operator.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class RolloutJourney(BrowserFixture fixture) : Journey(fixture)
{
    private MariaDbFixture Db => Browser.Database;

    [Fact]
    public async Task AnEngineeringFleetFirstTaskPausesOnAFailedPilotThenTheOperatorResumesApprovesPausesAndStopsIt()
    {
        var name = $"E2E rollout {Guid.NewGuid():N}"[..24];
        var vins = BrowserFixture.GoodVins;
        var pilots = vins[3..];
        var list = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(list, ["VIN", .. vins]);
        var page = await Browser.SignedInPageAsync(Browser.Operator);

        // The plan: the engineering fleet first, said in words under the choice.
        await Browser.GotoAsync(page, "/tasks/new");
        await page.Locator("[data-testid=task-name]").FillAsync(name);
        await BrowserFixture.SelectAsync(page, "task-series-model", "S1-M1 ·");
        await page.Locator("[data-testid='version-3.1.5']").ClickAsync();
        var words = page.Locator("[data-testid=rollout-words]");
        await Expect(words).ToContainTextAsync("Every accepted vehicle is sent the notice as soon as the task is published");
        await page.ClickAsync("[data-testid=rollout-preset-EngineeringFleetFirst]");
        await page.Locator("[data-testid=rollout-pilot-vins]").FillAsync(string.Join("\n", pilots[..4]) + ", " + pilots[4].ToLowerInvariant());
        await page.Locator("[data-testid=rollout-timeout]").FillAsync("1440");
        await page.Locator("[data-testid=rollout-timeout]").PressAsync("Tab");
        await Expect(words).ToContainTextAsync(
            "engineering fleet: the 5 named vehicles first, and no one else; the next group opens when 80 % of them succeeded " +
            "and an operator has approved it; the task pauses when 1 % of the finished ones failed (after at least 1).");
        await Expect(words).ToContainTextAsync("everyone: then the rest (100 %); the task pauses when 5 % of the finished ones failed (after at least 20).");
        await Expect(words).ToContainTextAsync("A vehicle notified more than 1 day ago without a final status is TimedOut: it counts as failed.");
        await page.SetViewportSizeAsync(1400, 1300);
        await BrowserFixture.ScreenshotAsync(page, "rollout-new-task");
        await page.SetViewportSizeAsync(1400, 900);

        // A pasted entry that is not a VIN is refused beside the form, in words, as soon as the field is left, and the
        // form goes no further (the emptied name says when the check has answered). Each field is left and its answer
        // seen before the button is clicked: the refusal replaces the plan's words and moves the button, and a click
        // whose press and release straddle that move is no click (a clean-clone run, 2026-12-07).
        var pasted = await page.Locator("[data-testid=rollout-pilot-vins]").InputValueAsync();
        await page.Locator("[data-testid=task-name]").FillAsync("");
        await page.Locator("[data-testid=rollout-pilot-vins]").FillAsync($"{pilots[0]}\nNOT-A-VIN");
        await page.Locator("[data-testid=rollout-pilot-vins]").PressAsync("Tab");
        await Expect(page.Locator("[data-testid=rollout-error]"))
            .ToHaveTextAsync("The rollout plan is refused (ROLLOUT_INVALID, group 1, named VIN 2): 'NOT-A-VIN' is not a VIN.");
        await page.ClickAsync("[data-testid=to-upload]");
        await Expect(page.Locator("[data-testid=basics]")).ToContainTextAsync("Give the task a name.");
        await Expect(page.Locator("[data-testid=upload-step]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=task-name]").FillAsync(name);
        await page.Locator("[data-testid=rollout-pilot-vins]").FillAsync(pasted);
        await page.Locator("[data-testid=rollout-pilot-vins]").PressAsync("Tab");
        await Expect(words).ToContainTextAsync("engineering fleet: the 5 named vehicles first");

        await page.ClickAsync("[data-testid=to-upload]");
        await Expect(page.Locator("[data-testid=upload-step]")).ToContainTextAsync("rollout: Engineering fleet first");
        await BrowserFixture.SetFilesAsync(page.Locator("[data-testid=upload-step] input[type=file]"), list);
        await Browser.WaitForUrlAsync(page, "**/tasks/new?run=*");
        await Expect(page.Locator("[data-testid=accepted-count]")).ToHaveTextAsync("8", new() { Timeout = 60_000 });
        await Expect(page.Locator("[data-testid=publish-rollout]")).ToContainTextAsync("engineering fleet: the 5 named vehicles first");
        await page.ClickAsync("[data-testid=publish]");
        await page.Locator(".mud-dialog button", new() { HasText = "Publish to 8 vehicle(s)" }).ClickAsync();
        await Expect(page.Locator("[data-testid=published]")).ToBeVisibleAsync();
        long taskId;
        await using (var db = Db.NewContext())
            taskId = await db.Tasks.Where(t => t.Name == name).Select(t => t.Id).SingleAsync();
        var pilotList = $"('{string.Join("', '", pilots)}')";
        Assert.Equal(5, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND rollout_group = 0 AND vin IN {pilotList}"));
        Assert.Equal(1, await Db.CountAsync("ota_task_rollout_group", $"task_id = {taskId} AND group_index = 0 AND opened_at IS NOT NULL"));
        Assert.Equal(1, await Db.CountAsync("ota_task_rollout_group", $"task_id = {taskId} AND group_index = 1 AND opened_at IS NULL"));

        // The task page: the pilot group open, the rest waiting; only the pilots are sent.
        await page.ClickAsync("[data-testid=open-task]");
        await Browser.WaitForUrlAsync(page, $"**/tasks/{taskId}");
        await Expect(page.Locator("[data-testid=rollout-group-0] [data-testid=group-state]")).ToHaveTextAsync("Open");
        await Expect(page.Locator("[data-testid=rollout-group-1] [data-testid=group-state]")).ToHaveTextAsync("Waiting");
        await Expect(page.Locator("[data-testid=rollout-resume]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid=rollout-approve]")).ToBeDisabledAsync();
        await Expect(page.Locator("[data-testid=rollout-resume-why]")).ToHaveAttributeAsync("data-why", "The task is not paused: it is sending.");
        await page.ClickAsync("[data-testid=push-now]");
        await Eventually.WaitUntilAsync(async () => await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND vin IN {pilotList} AND state = 'Notified'") == 5,
            TimeSpan.FromSeconds(60), "the pilot VINs to be notified");
        Assert.Equal(0, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND rollout_group = 1 AND state <> 'Pending'"));

        // A bad package: a pilot vehicle's failure report, as its follow-up leaves it, crosses the pilot's error threshold.
        await Db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Failed', updated_at = UTC_TIMESTAMP(3) WHERE task_id = {taskId} AND vin = '{pilots[0]}'");
        var banner = page.Locator("[data-testid=pause-banner]");
        await Expect(banner).ToContainTextAsync("Paused: too many vehicles failed (ROLLOUT_ERROR_THRESHOLD, group 'engineering fleet')", new() { Timeout = 30_000 });
        await Expect(banner).ToContainTextAsync("1 of 1 finished VINs of group 'engineering fleet' failed or timed out (100 %)");
        await Expect(banner).ToContainTextAsync("by rollout");
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Paused");
        await Expect(page.Locator("[data-testid=rollout-group-0] [data-testid=group-state]")).ToHaveTextAsync("Paused");
        await Expect(page.Locator("[data-testid=rollout-group-0]")).ToContainTextAsync("1 of 1 finished (100 %)");
        await Expect(page.Locator("[data-testid=rollout-chart]")).ToBeVisibleAsync();
        // Read again from scratch (and without the earlier messages in the corner) for the picture.
        await Browser.GotoTaskAsync(page, taskId);
        await Expect(banner).ToContainTextAsync("ROLLOUT_ERROR_THRESHOLD");
        await BrowserFixture.ScreenshotAsync(page, "rollout-paused", fullPage: true);
        Assert.Equal(1, await Db.CountAsync("ota_notification", $"task_id = {taskId} AND title = 'Task {taskId} paused: ROLLOUT_ERROR_THRESHOLD'"));

        // The dashboard puts it first, with why.
        await Browser.GotoAsync(page, "/");
        await Expect(page.Locator($"[data-testid=paused-{taskId}]")).ToContainTextAsync("ROLLOUT_ERROR_THRESHOLD");
        await Expect(page.Locator($"[data-testid=paused-{taskId}]")).ToContainTextAsync("1 of 1 finished VINs of group 'engineering fleet' failed");
        await BrowserFixture.ScreenshotAsync(page, "rollout-dashboard");

        // Resumed, the failure is taken as seen; the other pilots succeed, and the rest opens once an operator approves.
        await Browser.GotoTaskAsync(page, taskId);
        await page.ClickAsync("[data-testid=rollout-resume]");
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Published");
        await Expect(banner).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=rollout-approve-why]"))
            .ToHaveAttributeAsync("data-why", "'engineering fleet' has 0 % succeeded: it can be approved once it reaches its success threshold of 80 %.");
        await Db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Succeeded', updated_at = UTC_TIMESTAMP(3) WHERE task_id = {taskId} AND vin IN ('{string.Join("', '", pilots[1..])}')");
        await Expect(page.Locator("[data-testid=approval-banner]")).ToContainTextAsync("Group 'everyone' waits for an operator's approval", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=rollout-group-0]")).ToContainTextAsync("4 (80 %)");
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Published");
        await Browser.GotoTaskAsync(page, taskId);
        await Expect(page.Locator("[data-testid=approval-banner]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "rollout-approval", fullPage: true);
        await page.ClickAsync("[data-testid=rollout-approve]");
        await Expect(page.Locator("[data-testid=rollout-group-0] [data-testid=approved-by]")).ToContainTextAsync(Browser.Operator.Email);
        await Expect(page.Locator("[data-testid=approval-banner]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=rollout-group-1] [data-testid=group-state]")).ToHaveTextAsync("Open", new() { Timeout = 30_000 });

        // Paused by hand, then stopped for good.
        await page.ClickAsync("[data-testid=rollout-pause]");
        await page.Locator(".mud-dialog button", new() { HasText = "Pause the task" }).ClickAsync();
        await Expect(banner).ToContainTextAsync($"Paused: by an operator (OPERATOR)");
        await Expect(banner).ToContainTextAsync($"by {Browser.Operator.Email}");
        await page.ClickAsync("[data-testid=rollout-stop]");
        await page.Locator(".mud-dialog button", new() { HasText = "Stop the task" }).ClickAsync();
        await Expect(page.Locator("[data-testid=task-status]").First).ToHaveTextAsync("Stopped");
        await Expect(banner).ToHaveCountAsync(0);
        foreach (var action in new[] { "pause", "resume", "approve", "stop" })
            await Expect(page.Locator($"[data-testid=rollout-{action}]")).ToBeDisabledAsync();
        // The reason shows as the disabled button's tooltip.
        await page.Locator("[data-testid=rollout-resume-why]").HoverAsync();
        await Expect(page.Locator(".mud-tooltip", new() { HasText = "The task is Stopped: nothing of it is sent any more." })).ToBeVisibleAsync();

        Assert.Equal(0, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND rollout_group = 1 AND state <> 'Cancelled'"));
        Assert.Equal(4, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Succeeded'"));
        Assert.Equal(1, await Db.CountAsync("ota_task", $"id = {taskId} AND status = 'Stopped'"));
        foreach (var action in new[] { "Resume", "Approve", "Pause", "Stop" })
            Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = '{action}' AND entity_id = '{taskId}' AND user = '{Browser.Operator.Email}'"));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Pause' AND entity_id = '{taskId}' AND user = 'rollout'"));
    }
}
