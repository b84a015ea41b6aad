using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Tasks;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

/// <summary>The console world with four-eyes publishing for tasks that reach more than two vehicles.</summary>
public sealed class FourEyesWorld : ConsoleWorld
{
    protected override void Configure(OtaAppFactory app) => app.Settings["Publishing:FourEyesAboveVehicles"] = "2";
}

public sealed class FourEyesPublishing(FourEyesWorld world) : IClassFixture<FourEyesWorld>
{
    private MariaDbFixture Db => world.Database;
    private static int _next;

    private async Task<long> DraftAsync(TaskType type, int vins)
    {
        await using var db = Db.NewContext();
        var task = new UpgradeTask
        {
            Name = $"four-eyes-{Guid.NewGuid():N}", Type = type, Source = TaskSource.Console, SeriesModelId = await world.Fleet.SeriesModelIdAsync("S1-M1"),
            TargetVersion = "3.1.5", Generation = Generation.OTA1, CreatedBy = "olga@test.local", CreatedAt = DateTime.UtcNow,
        };
        db.Tasks.Add(task);
        await db.SaveChangesAsync();
        // VINs of this task alone: publishing supersedes other tasks' pending VINs of the same vehicles.
        db.TaskVins.AddRange(Enumerable.Range(0, vins).Select(_ => new TaskVin
        {
            TaskId = task.Id, Vin = TestFleet.TestVin(Interlocked.Increment(ref _next), 'F'), CreatedAt = DateTime.UtcNow,
        }));
        await db.SaveChangesAsync();
        return task.Id;
    }

    private async Task<UpgradeTask> TaskAsync(long id)
    {
        await using var db = Db.NewContext();
        return await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id);
    }

    [Fact]
    public async Task AFormalTaskAboveTheLimitIsSentOnlyOnceASecondOperatorApproves()
    {
        var olga = world.As<TaskCommands>(ConsoleRoles.Operator, "olga@test.local");
        var petra = world.As<TaskCommands>(ConsoleRoles.Operator, "petra@test.local");
        var taskId = await DraftAsync(TaskType.Normal, 3);

        var asked = await olga.PublishAsync(taskId, null);

        Assert.True(asked.AwaitingApproval);
        var waiting = await TaskAsync(taskId);
        Assert.Equal((UpgradeTaskStatus.Draft, "olga@test.local", true), (waiting.Status, waiting.PublishRequestedBy, waiting.AwaitsApproval));
        Assert.Equal(3, await Db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending'"));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Publish requested' AND entity_id = '{taskId}' AND user = 'olga@test.local'"));
        Assert.StartsWith("olga@test.local asked to publish this task",
            (await Assert.ThrowsAsync<ConsoleCommandException>(() => petra.PublishAsync(taskId, null))).Message);
        Assert.Equal("olga@test.local asked for this publishing: a second operator approves it.",
            (await Assert.ThrowsAsync<ConsoleCommandException>(() => olga.ApprovePublishAsync(taskId))).Message);
        Assert.Equal(UpgradeTaskStatus.Draft, (await TaskAsync(taskId)).Status);

        await petra.ApprovePublishAsync(taskId);

        var published = await TaskAsync(taskId);
        Assert.Equal((UpgradeTaskStatus.Published, "olga@test.local", "petra@test.local"), (published.Status, published.PublishedBy, published.PublishApprovedBy));
        Assert.Equal(1, await Db.CountAsync("ota_audit_log",
            $"action = 'Publish approved' AND entity_id = '{taskId}' AND user = 'petra@test.local' AND `before` LIKE '%olga@test.local%'"));
    }

    [Fact]
    public async Task ATestTaskAndATaskWithinTheLimitArePublishedAtOnce()
    {
        var olga = world.As<TaskCommands>(ConsoleRoles.Operator, "olga@test.local");
        var test = await DraftAsync(TaskType.Test, 3);
        var small = await DraftAsync(TaskType.Normal, 2);

        Assert.False((await olga.PublishAsync(test, DateTime.UtcNow.AddDays(1))).AwaitingApproval);
        Assert.False((await olga.PublishAsync(small, DateTime.UtcNow.AddDays(1))).AwaitingApproval);
        Assert.Equal(UpgradeTaskStatus.Published, (await TaskAsync(test)).Status);
        Assert.Equal((UpgradeTaskStatus.Published, (string?)null), ((await TaskAsync(small)).Status, (await TaskAsync(small)).PublishApprovedBy));
    }

    [Fact]
    public async Task AWithdrawnRequestLeavesAPlainDraftThatNobodyCanApprove()
    {
        var olga = world.As<TaskCommands>(ConsoleRoles.Operator, "olga@test.local");
        var petra = world.As<TaskCommands>(ConsoleRoles.Operator, "petra@test.local");
        var taskId = await DraftAsync(TaskType.Normal, 4);
        await olga.PublishAsync(taskId, DateTime.UtcNow.AddDays(1));

        await olga.WithdrawPublishRequestAsync(taskId);

        var draft = await TaskAsync(taskId);
        Assert.Equal((UpgradeTaskStatus.Draft, (string?)null, false), (draft.Status, draft.PublishRequestedBy, draft.AwaitsApproval));
        Assert.Equal($"Task {taskId} does not await an approval; it is Draft.",
            (await Assert.ThrowsAsync<ConsoleCommandException>(() => petra.ApprovePublishAsync(taskId))).Message);
        Assert.Equal(1, await Db.CountAsync("ota_audit_log", $"action = 'Publish request withdrawn' AND entity_id = '{taskId}'"));
        Assert.StartsWith("Viewers cannot change anything",
            (await Assert.ThrowsAsync<ConsoleAccessDeniedException>(() => world.As<TaskCommands>(ConsoleRoles.Viewer).ApprovePublishAsync(taskId))).Message);
    }
}
