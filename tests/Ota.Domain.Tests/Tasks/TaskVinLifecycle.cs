using Ota.Domain.Tasks;
using Lifecycle = Ota.Domain.Tasks.TaskVinLifecycle;

namespace Ota.Domain.Tests.Tasks;

public sealed class TaskVinLifecycle
{
    private static readonly TaskVinState[] All = Enum.GetValues<TaskVinState>();

    [Fact]
    public void FinalAndResendableSplitEveryStateBetweenThem()
    {
        Assert.Empty(Lifecycle.Final.Intersect(Lifecycle.Resendable));
        Assert.Equal(All.Order(), Lifecycle.Final.Concat(Lifecycle.Resendable).Order());
    }

    [Fact]
    public void AVinTakenOffItsTaskNeverMovesAgain()
    {
        foreach (var change in Enum.GetValues<TaskVinChange>())
            Assert.Empty(Lifecycle.From(change).Intersect(Lifecycle.Withdrawn));
        foreach (var state in Lifecycle.Withdrawn)
            Assert.All(All, to => Assert.False(Lifecycle.CanMove(state, to), $"{state} → {to}"));
    }

    [Fact]
    public void EveryStateCanBeReachedFromPending()
    {
        var reached = new HashSet<TaskVinState> { TaskVinState.Pending };
        for (var grown = true; grown;)
        {
            grown = false;
            foreach (var from in reached.ToList())
                foreach (var to in All)
                    grown |= Lifecycle.CanMove(from, to) && reached.Add(to);
        }
        Assert.Equal(All.Order(), reached.Order());
    }

    [Fact]
    public void OnlyPendingVinsAreClaimedForTheirFirstNotice()
    {
        Assert.Equal([TaskVinState.Pending], Lifecycle.Claimable);
        Assert.Equal([TaskVinState.Notified], Lifecycle.To(TaskVinChange.Notify));
    }

    [Fact]
    public void AResendStartsOverAnyVinShortOfFinal()
    {
        Assert.Equal(Lifecycle.Resendable.Order(), All.Except(Lifecycle.Final).Order());
        Assert.True(Lifecycle.Allows(TaskVinChange.Resend, TaskVinState.Failed, TaskVinState.Notified));
        Assert.False(Lifecycle.Allows(TaskVinChange.Resend, TaskVinState.Succeeded, TaskVinState.Notified));
        Assert.False(Lifecycle.Allows(TaskVinChange.Resend, TaskVinState.Cancelled, TaskVinState.Notified));
    }

    [Fact]
    public void AJobClosesOnlyVinsItCouldStillSendTo()
    {
        Assert.Equal(Lifecycle.Resendable.Order(), Lifecycle.From(TaskVinChange.Close).Order());
        Assert.Equal([TaskVinState.Closed], Lifecycle.To(TaskVinChange.Close));
    }

    [Fact]
    public void AVehicleThatIsUpgradingCannotBeCancelled()
    {
        Assert.DoesNotContain(TaskVinState.Upgrading, Lifecycle.Cancellable);
        Assert.Empty(Lifecycle.Cancellable.Intersect(Lifecycle.Final));
        Assert.Equal([TaskVinState.Pending, TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Failed], Lifecycle.Cancellable.Order());
    }

    [Fact]
    public void CancellingAVinItsVehicleWasToldAboutOwesACancelNotice()
    {
        Assert.Equal([TaskVinState.Notified, TaskVinState.Downloading], Lifecycle.OwedCancelNotice.Order());
        Assert.DoesNotContain(TaskVinState.Pending, Lifecycle.OwedCancelNotice);
        Assert.Subset(Lifecycle.Cancellable.ToHashSet(), Lifecycle.OwedCancelNotice.ToHashSet());
    }

    [Fact]
    public void OnlyVinsNotYetNotifiedAreSuperseded()
    {
        Assert.Equal([TaskVinState.Pending], Lifecycle.From(TaskVinChange.Supersede));
        Assert.Equal([TaskVinState.Superseded], Lifecycle.To(TaskVinChange.Supersede));
    }

    [Fact]
    public void AVehiclesReportsMoveItsVinUntilTheVinIsTakenOffTheTaskOrTimedOut()
    {
        Assert.Equal(All.Except([.. Lifecycle.Withdrawn, TaskVinState.TimedOut]).Order(), Lifecycle.From(TaskVinChange.Report).Order());
        Assert.Equal([TaskVinState.Downloading, TaskVinState.Upgrading, TaskVinState.Succeeded, TaskVinState.Failed], Lifecycle.Reported.Order());
        // A vehicle that flashes again after a success reports so; its newest report is what the task shows.
        Assert.True(Lifecycle.Allows(TaskVinChange.Report, TaskVinState.Succeeded, TaskVinState.Upgrading));
        Assert.False(Lifecycle.Allows(TaskVinChange.Report, TaskVinState.Closed, TaskVinState.Succeeded));
    }

    [Fact]
    public void InFlightVinsHaveTheirNoticeAndNoResultYet()
    {
        Assert.Equal([TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Upgrading], Lifecycle.InFlight.Order());
        Assert.Empty(Lifecycle.InFlight.Intersect(Lifecycle.Final));
        Assert.DoesNotContain(TaskVinState.Failed, Lifecycle.InFlight);
    }

    [Fact]
    public void ATaskNoLongerHoldsCancelledOrSupersededVins()
    {
        Assert.Equal([TaskVinState.Cancelled, TaskVinState.Superseded], Lifecycle.Released.Order());
        Assert.Subset(Lifecycle.Withdrawn.ToHashSet(), Lifecycle.Released.ToHashSet());
    }

    [Theory]
    [InlineData(UpgradeState.Downloading, TaskVinState.Downloading)]
    [InlineData(UpgradeState.Downloaded, TaskVinState.Downloading)]
    [InlineData(UpgradeState.WaitingForUpgrade, TaskVinState.Upgrading)]
    [InlineData(UpgradeState.Upgrading, TaskVinState.Upgrading)]
    [InlineData(UpgradeState.RollingBack, TaskVinState.Upgrading)]
    [InlineData(UpgradeState.Succeeded, TaskVinState.Succeeded)]
    [InlineData(UpgradeState.Failed, TaskVinState.Failed)]
    public void AReportWithoutAnErrorMovesTheVinToItsStage(UpgradeState reported, TaskVinState expected)
    {
        Assert.Equal(expected, Lifecycle.AfterReport(reported, hasError: false));
        Assert.Contains(expected, Lifecycle.Reported);
    }

    [Fact]
    public void AReportWithAnErrorIsAFailureWhateverItsState()
    {
        Assert.All(Enum.GetValues<UpgradeState>(), state => Assert.Equal(TaskVinState.Failed, Lifecycle.AfterReport(state, hasError: true)));
    }

    [Fact]
    public void ACancelledUpgradeReportLeavesTheVinToTheOperatorsCancel()
    {
        Assert.Null(Lifecycle.AfterReport(UpgradeState.Cancelled, hasError: false));
    }

    [Fact]
    public void ANotifiedVinWithoutAResultTimesOutForGoodAndCountsAsFailed()
    {
        Assert.Equal(Lifecycle.InFlight.Order(), Lifecycle.From(TaskVinChange.TimeOut).Order());
        Assert.Contains(TaskVinState.TimedOut, Lifecycle.Final);
        Assert.DoesNotContain(TaskVinState.TimedOut, Lifecycle.Resendable);
        Assert.DoesNotContain(TaskVinState.TimedOut, Lifecycle.Cancellable);
        Assert.False(Lifecycle.Allows(TaskVinChange.Report, TaskVinState.TimedOut, TaskVinState.Succeeded));
        Assert.Equal([TaskVinState.Failed, TaskVinState.TimedOut], Lifecycle.CountedFailed.Order());
        Assert.Equal([TaskVinState.Succeeded, TaskVinState.Failed, TaskVinState.TimedOut], Lifecycle.CountedFinished.Order());
    }
}
