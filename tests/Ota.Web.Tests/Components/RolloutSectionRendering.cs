using Bunit;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Rollouts;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

/// <summary>The task page's rollout section: the groups against their gates, and each action enabled or saying why not.</summary>
public sealed class RolloutSectionRendering
{
    private static readonly DateTime Opened = new(2026, 12, 6, 9, 30, 0, DateTimeKind.Utc);

    private static readonly RolloutPlan Plan = RolloutPlan.Parse(
        """{"groups": [{"name": "pilot", "percent": 1, "successThreshold": 90, "errorThreshold": 5, "minFinished": 10, "approval": true}, {"name": "everyone", "percent": 100}]}""");

    private static TaskProgressView View(string state, RolloutPlan? plan, bool reached = false, bool approved = false, PauseView? pause = null)
    {
        var groups = plan is null ? [] : new List<RolloutGroupView>
        {
            new("pilot", 40, new Dictionary<string, long>(), pause is null ? (reached ? "Succeeded" : "Open") : "Paused", Opened, 1, 90, 5, 10, 0, true,
                reached ? 37 : 20, 3, reached ? 40 : 23, reached ? Opened.AddHours(1) : null, approved ? Opened.AddHours(2) : null, approved ? "olga@test.local" : null),
            new("everyone", 3960, new Dictionary<string, long>(), "Waiting", null, 100, 100, null, 1, 0, false, 0, 0, 0, null, null, null),
        };
        return new TaskProgressView(7, "campaign", "Normal", state, new Dictionary<string, long>(), groups, pause, plan, 600,
            reached && !approved && state != "Stopped", reached && !approved ? "everyone" : null, Opened, null);
    }

    private static IRenderedComponent<RolloutSection> Render(BunitContext ctx, TaskProgressView view, bool canEdit = true) =>
        ctx.Render<RolloutSection>(p => p.Add(x => x.View, view).Add(x => x.CanEdit, canEdit));

    private static string? Why(IRenderedComponent<RolloutSection> cut, string action) =>
        cut.Find($"[data-testid=rollout-{action}]").HasAttribute("disabled") ? cut.Find($"[data-testid=rollout-{action}-why]").GetAttribute("data-why") : null;

    [Fact]
    public async Task ShowsEachGroupAgainstItsThresholds()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = Render(ctx, View("Published", Plan));

        var pilot = cut.Find("[data-testid=rollout-group-0]").TextContent;
        Assert.Contains("20 (50 %)", pilot);
        Assert.Contains("next group at ≥ 90 %", pilot);
        Assert.Contains("3 of 23 finished (13 %)", pilot);
        Assert.Contains("pauses at ≥ 5 % after 10", pilot);
        Assert.Contains("needed once at 90 %", pilot);
        Assert.Equal("Open", cut.Find("[data-testid=rollout-group-0] [data-testid=group-state]").TextContent);
        Assert.Equal("Waiting", cut.Find("[data-testid=rollout-group-1] [data-testid=group-state]").TextContent);
        Assert.Contains("600 notices a minute now", cut.Find("[data-testid=rollout-rate]").TextContent);
    }

    [Fact]
    public async Task EachActionSaysWhyItDoesNotApply()
    {
        await using var ctx = MudComponentTest.NewContext();

        var sending = Render(ctx, View("Published", Plan));
        Assert.Null(Why(sending, "pause"));
        Assert.Null(Why(sending, "stop"));
        Assert.Equal("The task is not paused: it is sending.", Why(sending, "resume"));
        Assert.Equal("'pilot' has 50 % succeeded: it can be approved once it reaches its success threshold of 90 %.", Why(sending, "approve"));

        var waiting = Render(ctx, View("Published", Plan, reached: true));
        Assert.Null(Why(waiting, "approve"));
        Assert.Contains("waiting for an operator", waiting.Find("[data-testid=rollout-group-0]").TextContent);

        var paused = Render(ctx, View("Paused", Plan, pause: new PauseView(PauseReason.ErrorThreshold, "pilot", "3 of 23 failed.", Opened, "rollout")));
        Assert.Equal("The task is paused already.", Why(paused, "pause"));
        Assert.Null(Why(paused, "resume"));
        Assert.Contains("paused", paused.Find("[data-testid=rollout-group-0]").ClassName);

        var stopped = Render(ctx, View("Stopped", Plan));
        Assert.Equal("The task is Stopped: nothing of it is sent any more.", Why(stopped, "resume"));
        Assert.Equal("Nothing to approve: the task is Stopped.", Why(stopped, "approve"));

        var draft = Render(ctx, View("Draft", Plan));
        Assert.Equal("Nothing of a Draft task is sent yet: publish it first, or cancel it.", Why(draft, "stop"));

        var viewer = Render(ctx, View("Published", Plan), canEdit: false);
        Assert.All(new[] { "pause", "resume", "approve", "stop" }, action => Assert.Equal("Viewers cannot change tasks.", Why(viewer, action)));
    }

    [Fact]
    public async Task ATaskWithoutAPlanCanStillBePausedAndStopped()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = Render(ctx, View("Published", null));

        Assert.Contains("No rollout plan", cut.Find("[data-testid=rollout-none]").TextContent);
        Assert.Null(Why(cut, "pause"));
        Assert.Null(Why(cut, "stop"));
        Assert.Equal("The task has no rollout plan: its vehicles are released together, with no group to approve.", Why(cut, "approve"));
        Assert.Empty(cut.FindAll("[data-testid=rollout-groups]"));
    }
}
