using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

/// <summary>The console's rollout service against the real database: role checks, refusals in words, plans kept with new tasks, the activity and the paused tasks.</summary>
public sealed class RolloutConsoleAtWork(ConsoleWorld world) : IClassFixture<ConsoleWorld>
{
    private MariaDbFixture Db => world.Database;

    private async Task<long> NewTaskAsync(string name, bool published)
    {
        await using var db = Db.NewContext();
        var task = new UpgradeTask
        {
            Name = name, Type = TaskType.Normal, Source = TaskSource.Console, SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"),
            TargetVersion = "3.1.5", Generation = Generation.OTA1, CreatedBy = "test", CreatedAt = DateTime.UtcNow,
        };
        if (published) task.Publish(DateTime.UtcNow, "test");
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    }

    [Fact]
    public async Task AViewerCannotActOnARollout()
    {
        var rollouts = world.As<RolloutConsole>(ConsoleRoles.Viewer);
        var taskId = await NewTaskAsync($"viewer-rollout-{Guid.NewGuid():N}", published: true);

        foreach (var call in new Func<Task>[]
        {
            () => rollouts.PauseAsync(taskId), () => rollouts.ResumeAsync(taskId), () => rollouts.ApproveAsync(taskId), () => rollouts.StopAsync(taskId),
        })
            Assert.StartsWith("Viewers cannot change anything", (await Assert.ThrowsAsync<ConsoleAccessDeniedException>(call)).Message);
        // The push may have marked it executed meanwhile (it has no VINs); the viewer changed nothing.
        Assert.Equal(0, await Db.CountAsync("ota_task", $"id = {taskId} AND status IN ('Paused', 'Stopped')"));
        Assert.Equal(0, await Db.CountAsync("ota_audit_log", "user = 'viewer@test.local'"));
    }

    [Fact]
    public async Task AnActionThatDoesNotApplyIsRefusedInWords()
    {
        var rollouts = world.As<RolloutConsole>(ConsoleRoles.Operator);
        var draft = await NewTaskAsync($"draft-rollout-{Guid.NewGuid():N}", published: false);

        var resume = await Assert.ThrowsAsync<ConsoleCommandException>(() => rollouts.ResumeAsync(draft));
        Assert.Equal($"Resume does not apply to task {draft}: it is Draft, and only Paused tasks can be resumed.", resume.Message);
        var approve = await Assert.ThrowsAsync<ConsoleCommandException>(() => rollouts.ApproveAsync(draft));
        Assert.Equal($"Task {draft} (Draft) has no group waiting for approval.", approve.Message);
        Assert.Equal("Task 987654321 does not exist.", (await Assert.ThrowsAsync<ConsoleCommandException>(() => rollouts.StopAsync(987654321))).Message);
    }

    [Fact]
    public async Task AnUploadWithAPlanCreatesItsTaskWithThePlanAndABrokenPlanStartsNothing()
    {
        var commands = world.As<TaskCommands>(ConsoleRoles.Operator, "olga@test.local");
        var rollouts = world.As<RolloutConsole>(ConsoleRoles.Operator, "olga@test.local");
        var basics = new TaskBasics { Name = $"planned-{Guid.NewGuid():N}"[..20], SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"), TargetVersion = "3.1.5" };
        var plan = RolloutPlan.Parse($$"""{"groups": [{"name": "pilot", "percent": 10, "vins": ["{{ConsoleWorld.GoodVins[0]}}"], "approval": true}, {"name": "rest", "percent": 100}]}""");
        MemoryStream Csv() => new(Encoding.UTF8.GetBytes(string.Join("\n", ["VIN", .. ConsoleWorld.GoodVins[..3]])));
        var runs = await Db.CountAsync("ota_validation_run");

        basics.Rollout = plan with { Groups = [plan.Groups[0]] };
        var (refused, errors) = await commands.StartUploadAsync(basics, Csv(), "v.csv", 60);
        Assert.Null(refused);
        Assert.StartsWith("rollout.groups[0].percent: The last group releases every VIN", errors.For("Rollout"));
        Assert.EndsWith("(ROLLOUT_INVALID)", errors.For("Rollout"));
        Assert.Equal(runs, await Db.CountAsync("ota_validation_run"));

        basics.Rollout = plan;
        var (runId, none) = await commands.StartUploadAsync(basics, Csv(), "v.csv", 60);
        Assert.True(none.IsValid, string.Join("; ", none.Values));
        var progress = await world.App.Services.GetRequiredService<TaskValidationService>().UntilFinishedAsync(runId!.Value);
        Assert.Equal(3, progress.Accepted);

        var view = (await rollouts.GetAsync(progress.TaskId!.Value))!;
        Assert.Equal("Draft", view.State);
        Assert.Equal(plan.ToJson(), view.Rollout!.ToJson());
        Assert.Equal(["Waiting", "Waiting"], view.Groups.Select(g => g.State));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Upload started' AND entity_id = '{runId}' AND user = 'olga@test.local' AND after LIKE '%pilot%'"));
    }

    [Fact]
    public async Task APausedTaskIsListedWithWhyAndItsActivityIsCountedByMinute()
    {
        var rollouts = world.As<RolloutConsole>(ConsoleRoles.Operator, "olga@test.local");
        var taskId = await NewTaskAsync($"paused-{Guid.NewGuid():N}", published: true);
        var now = DateTime.UtcNow;
        await using (var connection = await world.App.Services.GetRequiredService<MySqlConnectionFactory>().OpenAsync())
        {
            await TaskActivity.AddAsync(connection, taskId, now.AddMinutes(-5), 1, 0, 0, NullLogger.Instance);
            await TaskActivity.AddAsync(connection, taskId, now.AddMinutes(-5), 1, 0, 0, NullLogger.Instance);
            await TaskActivity.AddAsync(connection, taskId, now.AddMinutes(-2), 0, 1, 1, NullLogger.Instance);
            await TaskActivity.AddAsync(connection, taskId, now.AddMinutes(-90), 1, 0, 0, NullLogger.Instance);
            await TaskActivity.AddAsync(connection, taskId + 1_000_000, now, 7, 7, 7, NullLogger.Instance);
        }

        var minutes = await rollouts.ActivityAsync(taskId, 60);

        Assert.Equal(60, minutes.Count);
        Assert.Equal(2, minutes.Sum(m => m.Notices));
        Assert.Equal((1, 1), (minutes.Sum(m => m.Succeeded), minutes.Sum(m => m.Failed)));
        Assert.Equal(2, minutes.Single(m => m.Notices > 0).Notices);
        Assert.True(minutes[^1].Start > DateTime.UtcNow.AddMinutes(-1.5));
        var hours = await rollouts.ActivityAsync(taskId, 3, hourly: true);
        Assert.Equal((3, 3L), (hours.Count, hours.Sum(h => h.Notices)));
        Assert.True((await rollouts.ActivityAsync(null, 60)).Sum(m => m.Notices) >= 9);

        await rollouts.PauseAsync(taskId);
        var paused = Assert.Single(await rollouts.PausedAsync(), p => p.TaskId == taskId);
        Assert.Equal((PauseReason.Operator, "Paused by olga@test.local.", "olga@test.local"), (paused.Code, paused.Detail, paused.By));
        await rollouts.ResumeAsync(taskId);
        Assert.DoesNotContain(await rollouts.PausedAsync(), p => p.TaskId == taskId);
    }
}
