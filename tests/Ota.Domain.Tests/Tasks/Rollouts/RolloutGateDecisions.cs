using Ota.Domain.Tasks.Rollouts;

namespace Ota.Domain.Tests.Tasks.Rollouts;

public sealed class RolloutGateDecisions
{
    private static readonly DateTime Now = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    private static readonly RolloutPlan Canary = RolloutPlan.Parse("""
        {"groups": [
          {"name": "pilot", "percent": 1, "successThreshold": 90, "errorThreshold": 5, "minFinished": 20, "soakMinutes": 30, "approval": true},
          {"name": "wave", "percent": 10, "successThreshold": 90},
          {"name": "everyone", "percent": 100, "errorThreshold": 10}
        ]}
        """);

    private static GroupGate Open(DateTime? reached = null, DateTime? approved = null, long failedAtResume = 0) =>
        new(Now.AddHours(-1), reached, approved, failedAtResume);

    private static readonly GroupGate Waiting = new(null, null, null, 0);

    private static IReadOnlyList<RolloutDecision> Evaluate(GroupGate[] gates, GroupCounts[] counts, bool sending = true) =>
        RolloutGate.Evaluate(Canary, gates, counts, sending, Now);

    [Fact]
    public void FailuresAtTheErrorThresholdPauseTheTaskOnceEnoughHaveFinished()
    {
        var gates = new[] { Open(), Waiting, Waiting };
        // 19 finished: below minFinished, so 5 failures (26 %) do not pause yet.
        Assert.Empty(Evaluate(gates, [new(100, 14, 5), new(900, 0, 0), new(9000, 0, 0)]));
        var decisions = Evaluate(gates, [new(100, 19, 1), new(900, 0, 0), new(9000, 0, 0)]);
        var pause = Assert.IsType<RolloutDecision.Pause>(Assert.Single(decisions));
        Assert.Equal(0, pause.Group);
        Assert.Equal(PauseReason.ErrorThreshold, pause.Reason.Code);
        Assert.Equal("pilot", pause.Reason.Group);
        Assert.Contains("1 of 20 finished", pause.Reason.Detail);
    }

    [Fact]
    public void BelowTheErrorThresholdNothingPauses() =>
        Assert.DoesNotContain(Evaluate([Open(), Waiting, Waiting], [new(1000, 30, 1), new(900, 0, 0), new(9000, 0, 0)]),
            d => d is RolloutDecision.Pause);

    [Fact]
    public void FailuresAnOperatorResumedPastDoNotPauseAgainUntilAnotherComes()
    {
        Assert.Empty(Evaluate([Open(failedAtResume: 3), Waiting, Waiting], [new(100, 20, 3), new(900, 0, 0), new(9000, 0, 0)]));
        Assert.IsType<RolloutDecision.Pause>(
            Assert.Single(Evaluate([Open(failedAtResume: 3), Waiting, Waiting], [new(100, 20, 4), new(900, 0, 0), new(9000, 0, 0)])));
    }

    [Fact]
    public void APausedTaskDecidesNothing() =>
        Assert.Empty(Evaluate([Open(), Waiting, Waiting], [new(100, 0, 50), new(900, 0, 0), new(9000, 0, 0)], sending: false));

    [Fact]
    public void AGroupReachingItsSuccessThresholdStartsItsSoak()
    {
        var decisions = Evaluate([Open(), Waiting, Waiting], [new(100, 90, 0), new(900, 0, 0), new(9000, 0, 0)]);
        Assert.Equal(new RolloutDecision.Reached(0), Assert.Single(decisions));
        Assert.Empty(Evaluate([Open(), Waiting, Waiting], [new(100, 89, 0), new(900, 0, 0), new(9000, 0, 0)]));
    }

    [Fact]
    public void TheNextGroupWaitsForTheSoakTimeAndTheApproval()
    {
        GroupCounts[] counts = [new(100, 95, 0), new(900, 0, 0), new(9000, 0, 0)];
        Assert.Empty(Evaluate([Open(reached: Now.AddMinutes(-29)), Waiting, Waiting], counts));
        Assert.Empty(Evaluate([Open(reached: Now.AddMinutes(-31)), Waiting, Waiting], counts));
        Assert.Equal(new RolloutDecision.OpenNext(1),
            Assert.Single(Evaluate([Open(reached: Now.AddMinutes(-31), approved: Now), Waiting, Waiting], counts)));
        Assert.True(RolloutGate.AwaitsApproval(Canary, [Open(reached: Now), Waiting, Waiting]));
        Assert.False(RolloutGate.AwaitsApproval(Canary, [Open(reached: Now, approved: Now), Waiting, Waiting]));
        // Not before the group has reached its success threshold: there is nothing to approve yet.
        Assert.False(RolloutGate.AwaitsApproval(Canary, [Open(), Waiting, Waiting]));
    }

    [Fact]
    public void WithoutSoakOrApprovalTheNextGroupOpensInTheSameEvaluation()
    {
        var decisions = Evaluate([Open(reached: Now.AddHours(-2), approved: Now), Open(), Waiting], [new(100, 100, 0), new(900, 810, 0), new(9000, 0, 0)]);
        Assert.Equal([new RolloutDecision.Reached(1), new RolloutDecision.OpenNext(2)], decisions);
    }

    [Fact]
    public void TheLastGroupOpensNothing() =>
        Assert.DoesNotContain(Evaluate([Open(reached: Now), Open(reached: Now), Open()], [new(100, 100, 0), new(900, 900, 0), new(9000, 9000, 0)]),
            d => d is RolloutDecision.OpenNext);

    [Fact]
    public void AGroupLeftWithNoVinsHasSucceeded() =>
        Assert.Contains(new RolloutDecision.Reached(0), Evaluate([Open(), Waiting, Waiting], [new(0, 0, 0), new(900, 0, 0), new(9000, 0, 0)]));

    [Theory]
    [InlineData(false, false, false, RolloutGroupState.Waiting)]
    [InlineData(true, false, false, RolloutGroupState.Open)]
    [InlineData(true, false, true, RolloutGroupState.Paused)]
    [InlineData(true, true, true, RolloutGroupState.Succeeded)]
    public void AGroupStandsAsItsGateSays(bool open, bool reached, bool taskPaused, RolloutGroupState state) =>
        Assert.Equal(state, RolloutGate.StateOf(new GroupGate(open ? Now : null, reached ? Now : null, null, 0), taskPaused));
}
