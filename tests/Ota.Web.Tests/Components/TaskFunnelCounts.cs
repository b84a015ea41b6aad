using Ota.Domain;
using Ota.Infrastructure.Tasks;

namespace Ota.Web.Tests.Components;

public sealed class TaskFunnelCounts
{
    [Fact]
    public void EachStageCountsTheVinsThatReachedItFromTheLaterOfStatesAndReports()
    {
        var states = new Dictionary<TaskVinState, long>
        {
            [TaskVinState.Pending] = 10, [TaskVinState.Notified] = 80, [TaskVinState.Succeeded] = 5, [TaskVinState.Superseded] = 7,
        };
        (UpgradeState, ErrorType?, long)[] latest =
        [
            (UpgradeState.Downloading, null, 20), (UpgradeState.Upgrading, null, 10), (UpgradeState.Succeeded, null, 30),
            (UpgradeState.Failed, ErrorType.DownloadFailed, 4), (UpgradeState.Failed, ErrorType.UpgradeFailed, 6),
        ];

        var funnel = TaskFunnel.From(states, latest);

        Assert.Equal(95, funnel.Vins);
        Assert.Equal(10, funnel.Pending);
        Assert.Equal(85, funnel.Notified);
        Assert.Equal(70, funnel.Downloading);
        Assert.Equal(46, funnel.Upgrading);
        Assert.Equal(30, funnel.Succeeded);
        Assert.Equal(10, funnel.Failed);
        Assert.Equal(7, funnel.Superseded);
        Assert.Equal(["Notified", "Downloading", "Upgrading", "Succeeded", "Failed"], funnel.Stages.Select(s => s.Stage));
        Assert.Equal(30.0 / 95, funnel.Stages[3].Share, 6);
    }

    [Fact]
    public void AnEmptyTaskHasNoShares()
    {
        var funnel = TaskFunnel.From(new Dictionary<TaskVinState, long>(), []);
        Assert.All(funnel.Stages, s => Assert.Equal(0, s.Share));
    }
}
