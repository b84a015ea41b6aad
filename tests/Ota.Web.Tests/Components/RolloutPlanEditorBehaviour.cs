using Bunit;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

public sealed class RolloutPlanEditorBehaviour
{
    [Fact]
    public async Task SaysThePresetInWordsAndARefusalBesideTheChoice()
    {
        await using var ctx = MudComponentTest.NewContext();
        var choice = new RolloutChoice();
        var cut = ctx.Render<RolloutPlanEditor>(p => p.Add(x => x.Choice, choice));
        Assert.StartsWith("• Every accepted vehicle is sent the notice", cut.Find("[data-testid=rollout-words]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=rollout-pilot-vins]"));

        cut.Find("input[data-testid=rollout-preset-Canary]").Click();
        Assert.Equal(RolloutPreset.Canary, choice.Preset);
        Assert.Contains("canary: 1 % of the task's vehicles first; the next group opens when 95 % of them succeeded", cut.Find("[data-testid=rollout-words]").TextContent);

        cut.Find("input[data-testid=rollout-preset-EngineeringFleetFirst]").Click();
        Assert.Contains("Paste the VINs of the engineering fleet", cut.Find("[data-testid=rollout-error]").TextContent);
        cut.Find("textarea[data-testid=rollout-pilot-vins]").Change("LDEM0A00000000001, nope");
        Assert.Equal("The rollout plan is refused (ROLLOUT_INVALID, group 1, named VIN 2): 'nope' is not a VIN.", cut.Find("[data-testid=rollout-error]").TextContent);
        cut.Find("textarea[data-testid=rollout-pilot-vins]").Change("LDEM0A00000000001");
        Assert.Empty(cut.FindAll("[data-testid=rollout-error]"));
        Assert.Contains("engineering fleet: the 1 named vehicle first", cut.Find("[data-testid=rollout-words]").TextContent);

        cut.Find("input[data-testid=rollout-preset-Custom]").Click();
        Assert.Contains("\"LDEM0A00000000001\"", cut.Find("textarea[data-testid=rollout-json]").GetAttribute("value") ?? cut.Find("textarea[data-testid=rollout-json]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=rollout-per-minute]"));
    }
}
