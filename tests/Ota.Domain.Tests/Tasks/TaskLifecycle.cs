using Ota.Domain.Tasks;
using Lifecycle = Ota.Domain.Tasks.TaskLifecycle;

namespace Ota.Domain.Tests.Tasks;

public sealed class TaskLifecycle
{
    private static readonly DateTime Now = new(2026, 12, 6, 8, 0, 0, DateTimeKind.Utc);

    private static UpgradeTask TaskIn(UpgradeTaskStatus status)
    {
        var task = new UpgradeTask { Id = 1, Name = "t" };
        switch (status)
        {
            case UpgradeTaskStatus.Validating:
                task.MarkValidating();
                break;
            case UpgradeTaskStatus.Published:
                task.Publish(Now, "erin");
                break;
            case UpgradeTaskStatus.Executed:
                task.Publish(Now, "erin");
                task.MarkExecuted(Now);
                break;
            case UpgradeTaskStatus.Cancelled:
                task.Cancel(Now);
                break;
        }
        Assert.Equal(status, task.Status);
        return task;
    }

    [Theory]
    [InlineData(UpgradeTaskStatus.Draft)]
    [InlineData(UpgradeTaskStatus.Validating)]
    public void ADraftOrValidatingTaskIsPublishedForItsScheduledTime(UpgradeTaskStatus status)
    {
        var task = TaskIn(status);
        task.Publish(Now, "erin");
        Assert.Equal(UpgradeTaskStatus.Published, task.Status);
        Assert.Equal(Now, task.PublishedAt);
        Assert.Equal("erin", task.PublishedBy);
        Assert.Equal(Now, task.ScheduledAt);
    }

    [Theory]
    [InlineData(UpgradeTaskStatus.Published)]
    [InlineData(UpgradeTaskStatus.Executed)]
    [InlineData(UpgradeTaskStatus.Cancelled)]
    public void ATaskIsPublishedOnce(UpgradeTaskStatus status)
    {
        var task = TaskIn(status);
        Assert.Throws<InvalidOperationException>(() => task.Publish(Now.AddHours(1), "erin"));
        Assert.Equal(status, task.Status);
    }

    [Theory]
    [InlineData(UpgradeTaskStatus.Draft)]
    [InlineData(UpgradeTaskStatus.Validating)]
    [InlineData(UpgradeTaskStatus.Cancelled)]
    public void OnlyAPublishedTaskBecomesExecuted(UpgradeTaskStatus status)
    {
        var task = TaskIn(status);
        task.MarkExecuted(Now);
        Assert.Equal(status, task.Status);
        Assert.Null(task.ExecutedAt);
    }

    [Theory]
    [InlineData(UpgradeTaskStatus.Draft)]
    [InlineData(UpgradeTaskStatus.Validating)]
    [InlineData(UpgradeTaskStatus.Published)]
    [InlineData(UpgradeTaskStatus.Executed)]
    public void AnOperatorCancelsATaskInAnyStatus(UpgradeTaskStatus status)
    {
        var task = TaskIn(status);
        task.Cancel(Now.AddMinutes(5));
        Assert.Equal(UpgradeTaskStatus.Cancelled, task.Status);
        Assert.Equal(Now.AddMinutes(5), task.CancelledAt);
    }

    [Fact]
    public void CancellingACancelledTaskChangesNothing()
    {
        var task = TaskIn(UpgradeTaskStatus.Cancelled);
        task.Cancel(Now.AddDays(1));
        Assert.Equal(Now, task.CancelledAt);
    }

    [Fact]
    public void TheSendingOrderHoldsTheTasksThatCanStillBeSent()
    {
        Assert.Equal([UpgradeTaskStatus.Draft, UpgradeTaskStatus.Validating, UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused],
            Lifecycle.Open.Order());
        Assert.Subset(Lifecycle.Open.ToHashSet(), Lifecycle.Sending.ToHashSet());
        Assert.Contains(TaskIn(UpgradeTaskStatus.Published).Status, Lifecycle.Open);
        Assert.DoesNotContain(TaskIn(UpgradeTaskStatus.Executed).Status, Lifecycle.Open);
    }

    [Fact]
    public void CompensationResendsOnlyForTasksThatWereSent()
    {
        Assert.Equal([UpgradeTaskStatus.Published, UpgradeTaskStatus.Executed], Lifecycle.Running.Order());
        Assert.DoesNotContain(UpgradeTaskStatus.Cancelled, Lifecycle.Running);
    }

    [Fact]
    public void ACancelledTaskIsNeitherSentNorReordered()
    {
        Assert.DoesNotContain(UpgradeTaskStatus.Cancelled, Lifecycle.Open);
        Assert.DoesNotContain(UpgradeTaskStatus.Cancelled, Lifecycle.Sending);
        foreach (var change in Enum.GetValues<TaskChange>())
            Assert.False(Lifecycle.Allows(change, UpgradeTaskStatus.Cancelled), change.ToString());
    }

    [Fact]
    public void ASentTaskCanBePausedResumedAndStopped()
    {
        Assert.Equal([UpgradeTaskStatus.Published, UpgradeTaskStatus.Executed], Lifecycle.From(TaskChange.Pause).Order());
        Assert.Equal(UpgradeTaskStatus.Paused, Lifecycle.To(TaskChange.Pause));
        Assert.Equal([UpgradeTaskStatus.Paused], Lifecycle.From(TaskChange.Resume).Order());
        Assert.Equal(UpgradeTaskStatus.Published, Lifecycle.To(TaskChange.Resume));
        Assert.Equal([UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused, UpgradeTaskStatus.Executed], Lifecycle.From(TaskChange.Stop).Order());
        Assert.False(Lifecycle.Allows(TaskChange.Resume, UpgradeTaskStatus.Stopped));
        Assert.True(Lifecycle.Allows(TaskChange.Cancel, UpgradeTaskStatus.Paused));
        // A paused task sends nothing, not even compensation's resends.
        Assert.DoesNotContain(UpgradeTaskStatus.Paused, Lifecycle.Sending);
        Assert.DoesNotContain(UpgradeTaskStatus.Paused, Lifecycle.Running);
        Assert.Equal([UpgradeTaskStatus.Published, UpgradeTaskStatus.Paused, UpgradeTaskStatus.Executed], Lifecycle.Live.Order());
    }
}
