using Ota.Domain.Tasks.Rollouts;

namespace Ota.Domain.Tests.Tasks.Rollouts;

public sealed class RolloutPlanChecks
{
    private const string Pilot = "LDEM0A00000000001";

    private static string Plan(string groups, string extra = "") => $$"""{"groups": [{{groups}}]{{extra}}}""";

    [Fact]
    public void TheSpecsExamplePlanIsAcceptedWithItsDefaults()
    {
        var plan = RolloutPlan.Parse("""
            {
              "groups": [
                {"name": "pilot", "percent": 1, "vins": ["ldem0a00000000001"], "successThreshold": 95, "errorThreshold": 5, "minFinished": 20, "soakMinutes": 30, "approval": true},
                {"name": "wave 2", "percent": 20, "successThreshold": 90, "errorThreshold": 5},
                {"name": "everyone", "percent": 100, "errorThreshold": 10}
              ],
              "noticeRate": {"perMinute": 1000, "incrementFactor": 2, "everySucceeded": 500, "maxPerMinute": 60000},
              "executionTimeoutMinutes": 1440
            }
            """);
        Assert.Equal(3, plan.Groups.Count);
        Assert.Equal([Pilot], plan.Groups[0].Vins!);
        var everyone = plan.Groups[2];
        Assert.Equal(100, everyone.SuccessThreshold);
        Assert.Equal(1, everyone.MinFinished);
        Assert.Equal(0, everyone.SoakMinutes);
        Assert.False(everyone.Approval);
        Assert.Equal([100, 2000, 10000], plan.BucketBounds);
        Assert.Equal(TimeSpan.FromDays(1), plan.ExecutionTimeout);
    }

    [Theory]
    [InlineData("""{"groups": []}""", "rollout.groups")]
    [InlineData("""{"groups": [{"name": "a", "percent": 50}]}""", "rollout.groups[0].percent")]
    [InlineData("""{"groups": [{"name": "a", "percent": 10}, {"name": "b", "percent": 10}]}""", "rollout.groups[1].percent")]
    [InlineData("""{"groups": [{"name": "a", "percent": 0}, {"name": "b", "percent": 100}]}""", "rollout.groups[0].percent")]
    [InlineData("""{"groups": [{"name": "a", "percent": 120}]}""", "rollout.groups[0].percent")]
    [InlineData("""{"groups": [{"name": "a", "percent": 10.001}, {"name": "b", "percent": 10.002}, {"name": "c", "percent": 100}]}""", "rollout.groups[1].percent")]
    [InlineData("""{"groups": [{"name": " ", "percent": 100}]}""", "rollout.groups[0].name")]
    [InlineData("""{"groups": [{"name": "a", "percent": 10}, {"name": "A", "percent": 100}]}""", "rollout.groups[1].name")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100, "successThreshold": 101}]}""", "rollout.groups[0].successThreshold")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100, "errorThreshold": 0}]}""", "rollout.groups[0].errorThreshold")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100, "minFinished": 0}]}""", "rollout.groups[0].minFinished")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100, "soakMinutes": -1}]}""", "rollout.groups[0].soakMinutes")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100, "vins": ["nope"]}]}""", "rollout.groups[0].vins[0]")]
    [InlineData("""{"groups": [{"name": "a", "percent": 10, "vins": ["LDEM0A00000000001"]}, {"name": "b", "percent": 100, "vins": ["LDEM0A00000000001"]}]}""", "rollout.groups[1].vins[0]")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100}], "noticeRate": {"perMinute": 0}}""", "rollout.noticeRate.perMinute")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100}], "noticeRate": {"perMinute": 10, "incrementFactor": 0.5}}""", "rollout.noticeRate.incrementFactor")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100}], "noticeRate": {"perMinute": 10, "incrementFactor": 2}}""", "rollout.noticeRate.everySucceeded")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100}], "noticeRate": {"perMinute": 10, "maxPerMinute": 5}}""", "rollout.noticeRate.maxPerMinute")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100}], "executionTimeoutMinutes": 0}""", "rollout.executionTimeoutMinutes")]
    public void APlanThatBreaksARuleIsRefusedNamingTheField(string json, string field)
    {
        var refused = Assert.Throws<RolloutPlanException>(() => RolloutPlan.Parse(json));
        Assert.Equal("ROLLOUT_INVALID", refused.Code);
        Assert.Equal(field, refused.Field);
        Assert.StartsWith(field, refused.Message);
    }

    [Theory]
    [InlineData("""{"groups": [{"name": "a", "percent": "ten"}]}""", "rollout.groups[0].percent")]
    [InlineData("""{"groups": [{"name": "a", "percent": 100, "errorTreshold": 5}]}""", "rollout.groups[0]")]
    [InlineData("""{"groups": {"name": "a"}}""", "rollout.groups")]
    public void AMisspeltOrWronglyTypedFieldIsRefusedNamingWhereItIs(string json, string field)
    {
        var refused = Assert.Throws<RolloutPlanException>(() => RolloutPlan.Parse(json));
        Assert.Equal("ROLLOUT_INVALID", refused.Code);
        Assert.StartsWith(field, refused.Field);
    }

    [Fact]
    public void AFirstGroupOfNamedVinsAloneTakesNoShareOfTheOthers()
    {
        var plan = RolloutPlan.Parse(Plan("""{"name": "engineering", "percent": 0, "vins": ["LDEM0A00000000001"]}, {"name": "rest", "percent": 100}"""));
        Assert.Equal([0, 10000], plan.BucketBounds);
        Assert.Equal(0, RolloutAssignment.GroupOf(plan, 7, Pilot));
        Assert.All(Enumerable.Range(2, 500).Select(i => RolloutAssignment.GroupOf(plan, 7, $"LDEM0A{i:D11}")), g => Assert.Equal(1, g));
        Assert.Equal("rollout.groups[1].percent", Assert.Throws<RolloutPlanException>(() => RolloutPlan.Parse(
            Plan("""{"name": "engineering", "percent": 0, "vins": ["LDEM0A00000000001"]}, {"name": "rest", "percent": 0.001}, {"name": "all", "percent": 100}"""))).Field);
    }

    [Fact]
    public void ThePlanRoundTripsThroughItsStoredForm()
    {
        var plan = RolloutPlan.Parse(Plan("""{"name": "a", "percent": 5, "errorThreshold": 5}, {"name": "b", "percent": 100}""",
            """, "noticeRate": {"perMinute": 100}"""));
        var again = RolloutPlan.FromJson(plan.ToJson());
        Assert.Equal(plan.ToJson(), again.ToJson());
        Assert.Equal(5, again.Groups[0].ErrorThreshold);
        Assert.Null(again.Groups[1].ErrorThreshold);
    }

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(499, 1000)]
    [InlineData(500, 2000)]
    [InlineData(1000, 4000)]
    [InlineData(1500, 8000)]
    [InlineData(1_000_000, 60000)]
    public void TheNoticeRateGrowsByItsFactorWithEachStepOfSuccesses(long succeeded, int perMinute)
    {
        var rate = new NoticeRate(1000, 2, 500, 60000);
        Assert.Equal(perMinute, rate.CurrentPerMinute(succeeded));
    }
}
