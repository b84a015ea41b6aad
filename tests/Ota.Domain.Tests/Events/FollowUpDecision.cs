using Ota.Domain.Events.FollowUps;
using Options = Ota.Domain.Events.FollowUps.FollowUpOptions;
using Sut = Ota.Domain.Events.FollowUps.FollowUpDecision;

namespace Ota.Domain.Tests.Events;

public class FollowUpDecision
{
    private const string TestVin = "LSVAB1234CD567890";
    private static readonly DateTimeOffset At = new(2025, 3, 3, 8, 15, 0, TimeSpan.FromHours(8));
    private static readonly Options Defaults = new();

    /// <summary>A sold, activated passenger car failing to flash in Normal task 42; each test changes what it is about.</summary>
    private static FollowUpFacts Facts(
        UpgradeState state = UpgradeState.Failed,
        TriggerType trigger = TriggerType.NormalTask,
        ErrorType? error = ErrorType.UpgradeFailed,
        string? inner = "E1203",
        string? version = null,
        bool sold = true,
        bool activated = true,
        bool passengerCar = true,
        TaskType? taskType = TaskType.Normal,
        int resendCount = 0,
        bool history = false) =>
        new(TestVin,
            new UpgradeStatusFact(At, state, trigger, error, inner, version),
            new FollowUpVehicleFact(sold, activated, passengerCar, "3.1.4"),
            taskType is { } t ? new FollowUpTaskFact(42, t, "3.1.5", resendCount) : null,
            MaxResendCount: 3,
            HistoryHasLogReplayErrors: history);

    private static IReadOnlyList<FollowUpAction> Decide(FollowUpFacts facts, Options? options = null) =>
        Sut.Decide(facts, options ?? Defaults);

    private static T Single<T>(FollowUpFacts facts, Options? options = null) where T : FollowUpAction =>
        Assert.Single(Decide(facts, options).OfType<T>());

    private static void None<T>(FollowUpFacts facts, Options? options = null) where T : FollowUpAction =>
        Assert.Empty(Decide(facts, options).OfType<T>());

    // 1. Operations assistant

    [Theory]
    [InlineData(ErrorType.DownloadFailed)]
    [InlineData(ErrorType.PeripheralUpgradeFailed)]
    public void MessagesOperationsAssistantAboutFailure(ErrorType error)
    {
        var text = Single<OperationsAssistantMessage>(Facts(error: error)).Text;

        Assert.Contains(TestVin, text);
        Assert.Contains("task 42", text);
        Assert.Contains("state Failed", text);
        Assert.Contains($"error {error} (inner E1203)", text);
    }

    [Fact]
    public void DoesNotMessageOperationsAboutAdiFailure()
    {
        None<OperationsAssistantMessage>(Facts(trigger: TriggerType.Adi));
    }

    [Fact]
    public void DoesNotMessageOperationsAboutErrorOutsideFailureList()
    {
        var options = new Options { FailureErrorTypes = [ErrorType.DownloadFailed] };

        None<OperationsAssistantMessage>(Facts(error: ErrorType.UpgradeFailed), options);
    }

    [Fact]
    public void DoesNotMessageOperationsAboutReportWithoutError()
    {
        None<OperationsAssistantMessage>(Facts(state: UpgradeState.Succeeded, error: null));
    }

    // 2. Work order

    [Theory]
    [InlineData(TriggerType.NormalTask, ErrorType.UpgradeFailed)]
    [InlineData(TriggerType.ForcedTask, ErrorType.RollbackFailed)]
    [InlineData(TriggerType.NormalTask, ErrorType.RollbackSucceeded)]
    [InlineData(TriggerType.ForcedTask, ErrorType.PeripheralUpgradeFailed)]
    public void OpensWorkOrderForSoldActivatedVehicleFailingInCampaign(TriggerType trigger, ErrorType error)
    {
        var order = Single<WorkOrder>(Facts(trigger: trigger, error: error));

        Assert.Equal(error, order.ErrorType);
        Assert.Contains(TestVin, order.Title);
        Assert.Contains(TestVin, order.GroupMessage);
        Assert.Contains("task 42", order.GroupMessage);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void OpensNoWorkOrderUnlessVehicleIsSoldAndActivated(bool sold, bool activated)
    {
        None<WorkOrder>(Facts(sold: sold, activated: activated));
    }

    [Theory]
    [InlineData(TriggerType.FactoryTask)]
    [InlineData(TriggerType.SamplingTask)]
    [InlineData(TriggerType.User)]
    [InlineData(TriggerType.Adi)]
    public void OpensNoWorkOrderForOtherTriggers(TriggerType trigger)
    {
        None<WorkOrder>(Facts(trigger: trigger));
    }

    [Theory]
    [InlineData(ErrorType.DownloadFailed)]
    [InlineData(ErrorType.PrepareUpgradeFailed)]
    public void OpensNoWorkOrderForFailureBeforeFlashing(ErrorType error)
    {
        None<WorkOrder>(Facts(error: error));
    }

    // 3. Log read-back

    [Fact]
    public void RequestsLogReadBackAroundFailureOfALogReplayType()
    {
        var readBack = Single<LogReadBack>(Facts(error: ErrorType.RollbackFailed));

        Assert.Equal(At.AddMinutes(-30), readBack.From);
        Assert.Equal(At.AddMinutes(5), readBack.To);
    }

    [Fact]
    public void RequestsLogReadBackWhenHistoryHasLogReplayErrors()
    {
        Single<LogReadBack>(Facts(error: ErrorType.DownloadFailed, history: true));
    }

    [Fact]
    public void UsesConfiguredLogWindow()
    {
        var options = new Options { LogReadBackBefore = TimeSpan.FromHours(2), LogReadBackAfter = TimeSpan.Zero };

        var readBack = Single<LogReadBack>(Facts(), options);

        Assert.Equal((At.AddHours(-2), At), (readBack.From, readBack.To));
    }

    [Fact]
    public void RequestsNoLogReadBackWithoutLogReplayErrors()
    {
        None<LogReadBack>(Facts(error: ErrorType.DownloadFailed, history: false));
    }

    [Fact]
    public void RequestsNoLogReadBackForReportWithoutError()
    {
        None<LogReadBack>(Facts(state: UpgradeState.Succeeded, error: null, history: true));
    }

    // 4. Compensation

    [Theory]
    [InlineData(ErrorType.DownloadFailed)]
    [InlineData(ErrorType.PrepareUpgradeFailed)]
    public void FlagsTaskVinForResendAfterRetryableFailure(ErrorType error)
    {
        Assert.Equal(42, Single<FlagForResend>(Facts(error: error, resendCount: 2)).TaskId);
        None<CannotCompensate>(Facts(error: error, resendCount: 2));
    }

    [Fact]
    public void SaysItCannotCompensateWhenResendLimitIsReached()
    {
        var facts = Facts(error: ErrorType.DownloadFailed, resendCount: 3);

        var cannot = Single<CannotCompensate>(facts);

        Assert.Equal((42L, 3, 3), (cannot.TaskId, cannot.ResendCount, cannot.MaxResendCount));
        Assert.Contains(TestVin, cannot.Text);
        Assert.Contains("task 42", cannot.Text);
        None<FlagForResend>(facts);
    }

    [Fact]
    public void DoesNotCompensateNonRetryableInnerErrorCode()
    {
        var options = new Options { NonRetryableInnerErrorCodes = ["e1203"] };
        var facts = Facts(error: ErrorType.DownloadFailed, inner: "E1203");

        None<FlagForResend>(facts, options);
        None<CannotCompensate>(facts, options);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void CompensatesOnlyActivatedPassengerCars(bool activated, bool passengerCar)
    {
        None<FlagForResend>(Facts(error: ErrorType.DownloadFailed, activated: activated, passengerCar: passengerCar));
    }

    [Fact]
    public void DoesNotCompensateWithoutTask()
    {
        var facts = Facts(error: ErrorType.DownloadFailed, taskType: null);

        None<FlagForResend>(facts);
        None<CannotCompensate>(facts);
    }

    [Fact]
    public void DoesNotCompensateFlashingFailure()
    {
        None<FlagForResend>(Facts(error: ErrorType.UpgradeFailed));
    }

    // 5. Error type on the task-VIN

    [Theory]
    [InlineData(TaskType.Normal, ErrorType.UpgradeFailed)]
    [InlineData(TaskType.Forced, ErrorType.RollbackSucceeded)]
    [InlineData(TaskType.Normal, ErrorType.RollbackFailed)]
    [InlineData(TaskType.Forced, ErrorType.PeripheralUpgradeFailed)]
    public void RecordsErrorTypeOnTaskVinOfNormalOrForcedTask(TaskType taskType, ErrorType error)
    {
        Assert.Equal(new RecordErrorTypeOnTaskVin(42, error), Single<RecordErrorTypeOnTaskVin>(Facts(error: error, taskType: taskType)));
    }

    [Theory]
    [InlineData(TaskType.Test)]
    [InlineData(TaskType.Factory)]
    [InlineData(TaskType.Sampling)]
    [InlineData(TaskType.Delivery)]
    public void RecordsNoErrorTypeForOtherTaskTypes(TaskType taskType)
    {
        None<RecordErrorTypeOnTaskVin>(Facts(taskType: taskType));
    }

    [Fact]
    public void RecordsNoErrorTypeForDownloadFailureOrWithoutTask()
    {
        None<RecordErrorTypeOnTaskVin>(Facts(error: ErrorType.DownloadFailed));
        None<RecordErrorTypeOnTaskVin>(Facts(taskType: null));
    }

    // 6. Mobile push and firmware version

    [Fact]
    public void PushesSuccessAndRecordsReportedVersion()
    {
        var facts = Facts(state: UpgradeState.Succeeded, error: null, inner: null, version: "3.1.6");

        Assert.Equal(MobilePushKind.Success, Single<MobilePush>(facts).PushKind);
        Assert.Contains("3.1.6", Single<MobilePush>(facts).Text);
        Assert.Equal("3.1.6", Single<FirmwareVersionUpdate>(facts).Version);
    }

    [Fact]
    public void RecordsTaskTargetWhenSuccessReportHasNoVersion()
    {
        Assert.Equal("3.1.5", Single<FirmwareVersionUpdate>(Facts(state: UpgradeState.Succeeded, error: null)).Version);
    }

    [Fact]
    public void RecordsNoFirmwareVersionWhenItIsUnchangedOrUnknown()
    {
        None<FirmwareVersionUpdate>(Facts(state: UpgradeState.Succeeded, error: null, version: "3.1.4.0"));
        None<FirmwareVersionUpdate>(Facts(state: UpgradeState.Succeeded, error: null, taskType: null));
    }

    [Theory]
    [InlineData(ErrorType.PrepareUpgradeFailed, MobilePushKind.PreconditionsNotMet)]
    [InlineData(ErrorType.DownloadFailed, MobilePushKind.Failure)]
    [InlineData(ErrorType.RollbackSucceeded, MobilePushKind.Failure)]
    public void PushesFailureKindByErrorType(ErrorType error, MobilePushKind kind)
    {
        var facts = Facts(error: error);

        Assert.Equal(kind, Single<MobilePush>(facts).PushKind);
        None<FirmwareVersionUpdate>(facts);
    }

    [Theory]
    [InlineData(UpgradeState.Downloading)]
    [InlineData(UpgradeState.Upgrading)]
    [InlineData(UpgradeState.Cancelled)]
    public void PushesNothingForProgressStates(UpgradeState state)
    {
        None<MobilePush>(Facts(state: state, error: null));
    }

    [Fact]
    public void PushesNothingToUnsoldVehicleButStillRecordsItsVersion()
    {
        var facts = Facts(state: UpgradeState.Succeeded, error: null, sold: false);

        None<MobilePush>(facts);
        Single<FirmwareVersionUpdate>(facts);
    }

    // 7. Stream

    [Theory]
    [InlineData(UpgradeState.Downloading, null)]
    [InlineData(UpgradeState.Failed, ErrorType.UpgradeFailed)]
    public void PublishesEveryReportToStream(UpgradeState state, ErrorType? error)
    {
        Single<PublishToStream>(Facts(state: state, error: error, trigger: TriggerType.Adi, taskType: null));
    }

    // 8. Factory group

    [Theory]
    [InlineData(UpgradeState.Downloading, null)]
    [InlineData(UpgradeState.Succeeded, null)]
    [InlineData(UpgradeState.Failed, ErrorType.UpgradeFailed)]
    public void PostsEverySamplingTaskReportToFactoryGroup(UpgradeState state, ErrorType? error)
    {
        var text = Single<FactoryGroupMessage>(Facts(state: state, error: error, taskType: TaskType.Sampling)).Text;

        Assert.Contains(TestVin, text);
        Assert.Contains("task 42", text);
        Assert.Contains($"state {state}", text);
    }

    [Fact]
    public void PostsNothingToFactoryGroupForOtherTasks()
    {
        None<FactoryGroupMessage>(Facts(taskType: TaskType.Factory, trigger: TriggerType.SamplingTask));
    }

    [Fact]
    public void PostsSamplingTriggeredReportWhenTaskIsUnknown()
    {
        Single<FactoryGroupMessage>(Facts(taskType: null, trigger: TriggerType.SamplingTask));
    }

    // Switches

    public static TheoryData<Func<Options, Options>, FollowUpActionKind> Switches => new()
    {
        { o => o with { OperationsAssistantMessageEnabled = false }, FollowUpActionKind.OperationsAssistantMessage },
        { o => o with { WorkOrderEnabled = false }, FollowUpActionKind.WorkOrder },
        { o => o with { LogReadBackEnabled = false }, FollowUpActionKind.LogReadBack },
        { o => o with { RecordErrorTypeEnabled = false }, FollowUpActionKind.RecordErrorTypeOnTaskVin },
        { o => o with { MobilePushEnabled = false }, FollowUpActionKind.MobilePush },
        { o => o with { PublishToStreamEnabled = false }, FollowUpActionKind.PublishToStream },
    };

    [Theory]
    [MemberData(nameof(Switches))]
    public void LeavesOutSwitchedOffAction(Func<Options, Options> switchOff, FollowUpActionKind kind)
    {
        Assert.Contains(kind, Decide(Facts()).Select(a => a.Kind));
        Assert.DoesNotContain(kind, Decide(Facts(), switchOff(Defaults)).Select(a => a.Kind));
    }

    [Fact]
    public void LeavesOutSwitchedOffCompensationFirmwareAndFactoryGroup()
    {
        var off = Defaults with { CompensationEnabled = false, FirmwareVersionUpdateEnabled = false, FactoryGroupMessageEnabled = false };

        Assert.Contains(Decide(Facts(error: ErrorType.DownloadFailed)), a => a is FlagForResend);
        None<FlagForResend>(Facts(error: ErrorType.DownloadFailed), off);
        None<FirmwareVersionUpdate>(Facts(state: UpgradeState.Succeeded, error: null), off);
        None<FactoryGroupMessage>(Facts(taskType: TaskType.Sampling), off);
    }

    [Fact]
    public void DecidesActionsInSpecOrder()
    {
        var kinds = Decide(Facts()).Select(a => a.Kind);

        Assert.Equal(
        [
            FollowUpActionKind.OperationsAssistantMessage, FollowUpActionKind.WorkOrder, FollowUpActionKind.LogReadBack,
            FollowUpActionKind.RecordErrorTypeOnTaskVin, FollowUpActionKind.MobilePush, FollowUpActionKind.PublishToStream,
        ], kinds);
    }
}
