using Microsoft.Playwright;
using Ota.Web.Components.Layout;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class ConsoleNavigation(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task SigningInShowsTheNavigationAndSigningOutEndsTheSession()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(Browser.BaseUrl + "/tasks");
        await Browser.WaitForUrlAsync(page, "**/account/login?**");
        await BrowserFixture.ScreenshotAsync(page, "sign-in");
        await page.FillAsync("#email", Browser.Operator.Email);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("[data-testid=sign-in]");
        await Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync("The e-mail or the password is wrong.");

        await page.FillAsync("#email", Browser.Operator.Email);
        await page.FillAsync("#password", Browser.Operator.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await Browser.WaitForUrlAsync(page, Browser.BaseUrl + "/tasks");
        await page.WaitForSelectorAsync("body[data-interactive=true]");
        await Expect(page.Locator("[data-testid=signed-in-as]")).ToHaveTextAsync(Browser.Operator.Email);
        await Expect(page.Locator("[data-testid=signed-in-role]")).ToHaveTextAsync("Operator");

        var nav = page.Locator("nav");
        foreach (var item in ConsolePages.All)
            await Expect(nav.GetByText(item.Title, new LocatorGetByTextOptions { Exact = true })).ToHaveCountAsync(item.AdminOnly ? 0 : 1);
        await nav.GetByText("Strategies", new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        await Browser.WaitForUrlAsync(page, "**/strategies");
        await Expect(page.Locator("h4").First).ToHaveTextAsync("Strategies");

        await page.ClickAsync("[data-testid=sign-out]");
        await Browser.WaitForUrlAsync(page, "**/account/login");
        await page.GotoAsync(Browser.BaseUrl + "/strategies");
        await Browser.WaitForUrlAsync(page, "**/account/login?**");
    }

    [Fact]
    public async Task EveryPageOpensInTheBrowserWithoutAnError()
    {
        var page = await Browser.SignedInPageAsync(Browser.Admin);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        (string Path, string Shot)[] pages =
        [
            ("/", "dashboard"), ("/tasks", "tasks"), ("/tasks/new", "new-task"), ("/sampling", "sampling"), ("/strategies", "strategies"),
            ("/packages", "packages"), ("/vehicles", "vehicles"), ($"/vehicles/{BrowserFixture.GoodVins[6]}", "vehicle-timeline"),
            ("/lists", "lists"), ("/notifications", "notifications"), ("/work-orders", "work-orders"), ("/api-keys", "api-keys"),
            ("/users", "users"), ("/audit", "audit"),
        ];
        foreach (var (path, shot) in pages)
        {
            await Browser.GotoAsync(page, path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Expect(page.Locator("[data-testid=page-error]")).ToHaveCountAsync(0);
            await Expect(page.Locator("h4").First).Not.ToBeEmptyAsync();
            await BrowserFixture.ScreenshotAsync(page, shot);
        }
        await Browser.GotoAsync(page, $"/vehicles/{BrowserFixture.GoodVins[6]}");
        await Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("Failed: UpgradeFailed");
        await Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync($"Upgrade failed on {BrowserFixture.GoodVins[6]}");
        await Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("Package description served (desc-e2e-1)");

        var jobs = await page.GotoAsync(Browser.BaseUrl + "/hangfire");
        Assert.Equal(200, jobs!.Status);
        Assert.Empty(errors);
    }
}
