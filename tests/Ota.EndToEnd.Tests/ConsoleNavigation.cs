using Microsoft.Playwright;
using Ota.Web.Components.Layout;

namespace Ota.EndToEnd.Tests;

public sealed class ConsoleNavigation(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheNavigationRendersEveryPageAndLeadsToThem()
    {
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };

        await page.GotoAsync(browser.BaseUrl + "/");
        await page.WaitForSelectorAsync("[data-testid=figure-vehicles]");
        var nav = page.Locator("nav");
        foreach (var item in ConsolePages.All)
            Assert.Equal(1, await nav.GetByText(item.Title, new LocatorGetByTextOptions { Exact = true }).CountAsync());
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        await nav.GetByText("Strategies", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/strategies");
        // Enhanced navigation changes the URL before the new page renders: wait for its heading.
        await Assertions.Expect(page.Locator("h4").First).ToHaveTextAsync("Strategies");
        Assert.Empty(errors);
    }
}
