using Bunit;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

public sealed class PlaceholderPageRendering
{
    [Fact]
    public async Task SaysPlainlyWhichIssueBringsThePage()
    {
        await using var ctx = MudComponentTest.NewContext();
        var page = ctx.Render<PlaceholderPage>(p => p.Add(x => x.Title, "Strategies").Add(x => x.Issue, "the console issue (#6)"));

        Assert.Equal("Strategies", page.Find("h4").TextContent);
        Assert.Contains("Not built yet: this page arrives with the console issue (#6).", page.Find("[data-testid=placeholder]").TextContent);
    }
}
