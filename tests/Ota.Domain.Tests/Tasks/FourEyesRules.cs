using Ota.Domain.Tasks;

namespace Ota.Domain.Tests.Tasks;

public sealed class FourEyesRules
{
    [Theory]
    [InlineData(TaskType.Normal, 101, 100, true)]
    [InlineData(TaskType.Normal, 100, 100, false)]
    [InlineData(TaskType.Forced, 1, 0, true)]
    [InlineData(TaskType.Test, 1_000_000, 100, false)]
    [InlineData(TaskType.Normal, 1_000_000, null, false)]
    public void AFormalTaskAboveTheLimitNeedsAnApproval(TaskType type, long vehicles, int? limit, bool required) =>
        Assert.Equal(required, FourEyes.Required(type, vehicles, limit));

    [Fact]
    public void TheRequesterCannotApproveAndTheApproverIsKept()
    {
        var task = new UpgradeTask { Type = TaskType.Normal };
        var at = new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
        task.RequestPublish(at, "olga", at.AddHours(2));

        Assert.True(task.AwaitsApproval);
        Assert.Equal("OLGA asked for this publishing: a second operator approves it.",
            Assert.Throws<InvalidOperationException>(() => task.ApprovePublish(at, "OLGA")).Message);
        task.ApprovePublish(at.AddMinutes(5), "petra");

        Assert.Equal((UpgradeTaskStatus.Published, "olga", "petra", at.AddHours(2)), (task.Status, task.PublishedBy, task.PublishApprovedBy, task.ScheduledAt));
        Assert.False(task.AwaitsApproval);
    }
}
