using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Rollouts;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

/// <summary>The new-task form's rollout choice: the presets as plans, the plans in words, refusals with their code and field.</summary>
public sealed class RolloutChoiceWords
{
    private const string Pilot = "LDEM0A00000000001";

    private static RolloutChoice Chosen(RolloutPreset preset, Action<RolloutChoice>? fill = null)
    {
        var choice = new RolloutChoice();
        choice.Choose(preset);
        fill?.Invoke(choice);
        return choice;
    }

    [Fact]
    public void AllAtOnceIsNoPlanUnlessPacedOrTimedOut()
    {
        Assert.Null(new RolloutChoice().Build());
        Assert.StartsWith("Every accepted vehicle is sent the notice as soon as the task is published", Assert.Single(new RolloutChoice().Describe()));

        var paced = Chosen(RolloutPreset.AllAtOnce, c => { c.PerMinute = 500; c.TimeoutMinutes = 90; }).Build()!;

        var group = Assert.Single(paced.Groups);
        Assert.Equal(("everyone", 100.0, (double?)null), (group.Name, group.Percent, group.ErrorThreshold));
        Assert.Equal(new NoticeRate(500), paced.NoticeRate);
        Assert.Equal(90, paced.ExecutionTimeoutMinutes);
        Assert.Equal(
            ["everyone: every vehicle of the task at once; failures do not pause the task by themselves.", "Notices: at most 500 a minute.",
             "A vehicle notified more than 1 h 30 min ago without a final status is TimedOut: it counts as failed."],
            RolloutChoice.Describe(paced));
    }

    [Fact]
    public void TheCanaryPresetIsSaidGroupByGroup()
    {
        var plan = Chosen(RolloutPreset.Canary, c => { c.PerMinute = 1000; c.IncrementFactor = 2; c.EverySucceeded = 500; c.MaxPerMinute = 60000; }).Build()!;

        Assert.Equal([1.0, 10, 100], plan.Groups.Select(g => g.Percent));
        Assert.Equal(
        [
            "canary: 1 % of the task's vehicles first; the next group opens when 95 % of them succeeded; the task pauses when 5 % of the finished ones failed (after at least 20).",
            "wave 2: then up to 10 % (9 % more); the next group opens when 95 % of them succeeded; the task pauses when 5 % of the finished ones failed (after at least 20).",
            "everyone: then the rest (90 %); the task pauses when 5 % of the finished ones failed (after at least 20).",
            "Notices: at most 1,000 a minute, × 2 each time 500 more have succeeded, never more than 60,000 a minute.",
        ], RolloutChoice.Describe(plan));
    }

    [Fact]
    public void TheEngineeringFleetGoesFirstAndTheRestWaitsForAnApproval()
    {
        var plan = Chosen(RolloutPreset.EngineeringFleetFirst, c => c.PilotVins = $" {Pilot.ToLowerInvariant()},\nLDEM0A00000000002 ").Build()!;

        Assert.Equal([Pilot, "LDEM0A00000000002"], plan.Groups[0].Vins);
        Assert.True(plan.Groups[0].Approval);
        Assert.StartsWith("engineering fleet: the 2 named vehicles first", RolloutChoice.Describe(plan)[0]);
        Assert.Contains("and an operator has approved it", RolloutChoice.Describe(plan)[0]);
    }

    [Fact]
    public void ARefusalNamesItsCodeAndFieldInWords()
    {
        var noPilots = Assert.Throws<RolloutPlanException>(() => Chosen(RolloutPreset.EngineeringFleetFirst).Build());
        Assert.Equal("The rollout plan is refused (ROLLOUT_INVALID, group 1, named VINs): Paste the VINs of the engineering fleet: they get the update first.",
            RolloutConsole.InWords(noPilots));

        var notAVin = Assert.Throws<RolloutPlanException>(() => Chosen(RolloutPreset.EngineeringFleetFirst, c => c.PilotVins = $"{Pilot} X").Build());
        Assert.Equal("The rollout plan is refused (ROLLOUT_INVALID, group 1, named VIN 2): 'X' is not a VIN.", RolloutConsole.InWords(notAVin));

        var rampWithoutRate = Assert.Throws<RolloutPlanException>(() => Chosen(RolloutPreset.Canary, c => c.MaxPerMinute = 10).Build());
        Assert.Equal("The rollout plan is refused (ROLLOUT_INVALID, notice rate, per minute): give the notices a minute to start from, or leave the notice rate empty.",
            RolloutConsole.InWords(rampWithoutRate));

        var misspelt = Assert.Throws<RolloutPlanException>(() => Chosen(RolloutPreset.Custom, c => c.CustomJson =
            """{"groups": [{"name": "a", "percent": 50}, {"name": "b", "percnt": 100}]}""").Build());
        Assert.Equal("The rollout plan is refused (ROLLOUT_INVALID, group 2, percnt): is not a field of a rollout plan.", RolloutConsole.InWords(misspelt));

        var notLast = Assert.Throws<RolloutPlanException>(() => Chosen(RolloutPreset.Custom, c => c.CustomJson = """{"groups": [{"name": "a", "percent": 50}]}""").Build());
        Assert.StartsWith("The rollout plan is refused (ROLLOUT_INVALID, group 1, percent): The last group releases every VIN", RolloutConsole.InWords(notLast));

        var notInTask = new RolloutPlanException("rollout.groups.vins", "1 named VIN(s) are not in the task: X.", RolloutPlanException.VinNotInTask);
        Assert.Equal("The rollout plan is refused (ROLLOUT_VIN_NOT_IN_TASK, the named VINs): 1 named VIN(s) are not in the task: X.", RolloutConsole.InWords(notInTask));
        Assert.Equal("execution timeout", RolloutConsole.FieldInWords("rollout.executionTimeoutMinutes"));
        Assert.Equal("group 3, success threshold", RolloutConsole.FieldInWords("rollout.groups[2].successThreshold"));
    }

    [Fact]
    public void CustomStartsFromThePresetChosenSoFar()
    {
        var choice = Chosen(RolloutPreset.Canary, c => c.TimeoutMinutes = 60);
        var canary = choice.Build()!;

        choice.Choose(RolloutPreset.Custom);

        Assert.Contains("\"executionTimeoutMinutes\": 60", choice.CustomJson);
        Assert.Equal(canary.ToJson(), choice.Build()!.ToJson());
    }

    [Fact]
    public void AStoredPlanComesBackAsItsPresetOrAsCustom()
    {
        var engineering = Chosen(RolloutPreset.EngineeringFleetFirst, c => { c.PilotVins = Pilot; c.PerMinute = 50; }).Build();
        var back = RolloutChoice.From(engineering);
        Assert.Equal((RolloutPreset.EngineeringFleetFirst, Pilot, 50), (back.Preset, back.PilotVins, back.PerMinute));

        var custom = RolloutPlan.Parse("""{"groups": [{"name": "half", "percent": 50, "soakMinutes": 30}, {"name": "rest", "percent": 100}]}""");
        var again = RolloutChoice.From(custom);
        Assert.Equal(RolloutPreset.Custom, again.Preset);
        Assert.Equal(custom.ToJson(), again.Build()!.ToJson());
        Assert.Contains("and 30 min have passed since", RolloutChoice.Describe(custom)[0]);

        Assert.Equal(RolloutPreset.AllAtOnce, RolloutChoice.From(null).Preset);
    }
}
