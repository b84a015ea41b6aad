using Ota.Domain.Tasks;
using Ota.Domain.Vehicles.Ddi;
using Sut = Ota.Domain.Vehicles.Ddi.DdiFeedbackMapping;

namespace Ota.Domain.Tests.Vehicles.Ddi;

public class DdiFeedbackMapping
{
    private static DdiFeedback Feedback(DdiExecution execution, DdiFinished finished = DdiFinished.None, int? count = null, int? of = null,
        params string[] details) => new(execution, finished, count, of, null, details);

    [Fact]
    public void ClosedSuccessIsSucceededAndClosesTheAction()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Closed, DdiFinished.Success, details: "Update Installed."),
            TaskVinState.Upgrading, reachedDownloaded: false);

        Assert.Equal(UpgradeState.Succeeded, meaning.Status);
        Assert.Null(meaning.Error);
        Assert.True(meaning.ClosesAction);
        Assert.Equal(100, meaning.Percent);
        Assert.Equal("closed: Update Installed.", meaning.Step);
    }

    [Fact]
    public void ClosedNoneCountsAsFinishedAsHawkBitReadsIt()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Closed), TaskVinState.Upgrading, false);

        Assert.Equal(UpgradeState.Succeeded, meaning.Status);
        Assert.True(meaning.ClosesAction);
    }

    [Fact]
    public void ClosedFailureBeforeDownloadedIsADownloadFailure()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Closed, DdiFinished.Failure), TaskVinState.Upgrading, false);

        Assert.Equal(UpgradeState.Failed, meaning.Status);
        Assert.Equal(ErrorType.DownloadFailed, meaning.Error);
        Assert.True(meaning.ClosesAction);
    }

    [Fact]
    public void ClosedFailureAfterDownloadedIsAnUpgradeFailure()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Closed, DdiFinished.Failure), TaskVinState.Downloading, true);

        Assert.Equal(UpgradeState.Failed, meaning.Status);
        Assert.Equal(ErrorType.UpgradeFailed, meaning.Error);
    }

    [Fact]
    public void RejectedIsAFailureToPrepareAndClosesTheAction()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Rejected), TaskVinState.Notified, false);

        Assert.Equal(UpgradeState.Failed, meaning.Status);
        Assert.Equal(ErrorType.PrepareUpgradeFailed, meaning.Error);
        Assert.True(meaning.ClosesAction);
    }

    [Fact]
    public void CanceledOnTheDeploymentIsAFailureThatEndsTheTaskVin()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Canceled), TaskVinState.Downloading, false);

        // Cancelled would leave the task-VIN in flight (only a report of a result moves it): nobody cancelled this one.
        Assert.Equal(UpgradeState.Failed, meaning.Status);
        Assert.Equal(TaskVinState.Failed, TaskVinLifecycle.AfterReport(meaning.Status!.Value, meaning.Error is not null));
        Assert.True(meaning.ClosesAction);
        Assert.False(meaning.EndsCancel);
    }

    [Fact]
    public void DownloadMovesANotifiedVinToDownloadingAndIsProgressAfterThat()
    {
        Assert.Equal(UpgradeState.Downloading, Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Download), TaskVinState.Notified, false).Status);
        var later = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Download, count: 1, of: 4), TaskVinState.Downloading, false);
        Assert.Null(later.Status);
        Assert.Equal(25, later.Percent);
        Assert.False(later.ClosesAction);
    }

    [Fact]
    public void DownloadedIsRememberedForALaterFailure()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Downloaded), TaskVinState.Downloading, false);

        Assert.Equal(UpgradeState.Downloaded, meaning.Status);
        Assert.True(meaning.ReachedDownloaded);
        Assert.Null(Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Downloaded), TaskVinState.Upgrading, true).Status);
    }

    [Theory]
    [InlineData(DdiExecution.Proceeding)]
    [InlineData(DdiExecution.Scheduled)]
    [InlineData(DdiExecution.Resumed)]
    public void WorkingFeedbackMovesTheVinToUpgradingOnceThenIsProgress(DdiExecution execution)
    {
        Assert.Equal(UpgradeState.Upgrading, Sut.Map(DdiFeedbackTarget.Deployment, Feedback(execution), TaskVinState.Notified, false).Status);
        Assert.Equal(UpgradeState.Upgrading, Sut.Map(DdiFeedbackTarget.Deployment, Feedback(execution), TaskVinState.Downloading, false).Status);
        var again = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(execution), TaskVinState.Upgrading, false);
        Assert.Null(again.Status);
        Assert.False(again.ClosesAction);
    }

    [Fact]
    public void ProgressPastOrWithoutItsTotalHasNoPercentage()
    {
        // SWUpdate sends {"cnt": 1, "of": 0} while it logs.
        Assert.Null(Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Proceeding, count: 1, of: 0), TaskVinState.Upgrading, false).Percent);
        Assert.Equal(100, Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Proceeding, count: 3, of: 2), TaskVinState.Upgrading, false).Percent);
        Assert.Null(Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Proceeding), TaskVinState.Upgrading, false).Percent);
    }

    [Theory]
    [InlineData(DdiExecution.Closed, DdiFinished.Success)]
    [InlineData(DdiExecution.Closed, DdiFinished.None)]
    [InlineData(DdiExecution.Canceled, DdiFinished.None)]
    public void ACancelAcknowledgedIsCancelledAndEndsTheCancel(DdiExecution execution, DdiFinished finished)
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Cancel, Feedback(execution, finished, details: "cancellation acknowledged."), TaskVinState.Cancelled, false);

        Assert.Equal(UpgradeState.Cancelled, meaning.Status);
        Assert.True(meaning.EndsCancel);
    }

    [Theory]
    [InlineData(DdiExecution.Rejected, DdiFinished.None)]
    [InlineData(DdiExecution.Closed, DdiFinished.Failure)]
    public void ACancelRefusedEndsTheCancelWithoutAStatus(DdiExecution execution, DdiFinished finished)
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Cancel, Feedback(execution, finished), TaskVinState.Cancelled, false);

        Assert.Null(meaning.Status);
        Assert.True(meaning.EndsCancel);
        Assert.StartsWith("Cancel refused: ", meaning.Step);
    }

    [Fact]
    public void ProgressOnACancelKeepsItOffered()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Cancel, Feedback(DdiExecution.Proceeding), TaskVinState.Cancelled, false);

        Assert.Null(meaning.Status);
        Assert.False(meaning.EndsCancel);
    }

    [Fact]
    public void ALongDetailIsCutToTheStepColumn()
    {
        var meaning = Sut.Map(DdiFeedbackTarget.Deployment, Feedback(DdiExecution.Proceeding, details: ["", new string('x', 500)]), TaskVinState.Upgrading, false);

        Assert.Equal(Sut.StepLength, meaning.Step.Length);
        Assert.StartsWith("proceeding: xxx", meaning.Step);
        Assert.EndsWith("…", meaning.Step);
    }
}
