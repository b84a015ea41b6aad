using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Testing;
using Ota.Web.Components.Layout;

namespace Ota.Web.Tests.Components;

public sealed class ConsoleShell(AppFixture fixture) : IClassFixture<AppFixture>
{
    private static string? PathOf(Uri? location) => location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    private HttpClient NewClient() => fixture.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task EveryPageOfTheNavigationAnswersASignedInAdministrator()
    {
        using var client = NewClient();
        var admin = await ConsoleLogins.CreateAsync(fixture.App.Services, ConsoleRoles.Admin);
        var signIn = await ConsoleLogins.SignInAsync(client, admin);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", PathOf(signIn.Headers.Location));

        foreach (var page in ConsolePages.All.Where(p => !p.External))
        {
            var response = await client.GetAsync(page.Href);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page.Href} answered {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(WebUtility.HtmlEncode(page.Title), html);
        }
    }

    [Fact]
    public async Task SignedOutVisitorsAreSentToTheSignInPageAndBackAfterwards()
    {
        using var client = NewClient();
        var response = await client.GetAsync("/tasks");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=%2Ftasks", PathOf(response.Headers.Location));

        var viewer = await ConsoleLogins.CreateAsync(fixture.App.Services, ConsoleRoles.Viewer);
        var signIn = await ConsoleLogins.SignInAsync(client, viewer, "/tasks");
        Assert.Equal("/tasks", PathOf(signIn.Headers.Location));
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedInWords()
    {
        using var client = NewClient();
        var viewer = await ConsoleLogins.CreateAsync(fixture.App.Services, ConsoleRoles.Viewer);
        var response = await ConsoleLogins.SignInAsync(client, viewer with { Password = viewer.Password + "x" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The e-mail or the password is wrong.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task TheApisAndHealthStayOutsideTheConsoleLogin()
    {
        using var client = NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var open = await client.PostAsync("/ota/open/api/task/verify", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, open.StatusCode);
        Assert.Contains("API_KEY_MISSING", await open.Content.ReadAsStringAsync());
        // The vehicle API belongs to its own signatures: whatever it answers, never the console's sign-in page.
        var vehicle = await client.PostAsync("/api/vehicle/v1/package-info", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.NotEqual(HttpStatusCode.Redirect, vehicle.StatusCode);
        Assert.DoesNotContain("/account/login", vehicle.Headers.Location?.OriginalString ?? "");
    }

    [Fact]
    public async Task TheBackgroundJobsDashboardIsForAdministratorsOnly()
    {
        using var anonymous = NewClient();
        var response = await anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location?.OriginalString);

        using var operatorClient = NewClient();
        await ConsoleLogins.SignInAsync(operatorClient, await ConsoleLogins.CreateAsync(fixture.App.Services, ConsoleRoles.Operator));
        var denied = await operatorClient.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/access-denied", denied.Headers.Location?.OriginalString);

        using var adminClient = NewClient();
        await ConsoleLogins.SignInAsync(adminClient, await ConsoleLogins.CreateAsync(fixture.App.Services, ConsoleRoles.Admin));
        var dashboard = await adminClient.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("OTA background jobs", await dashboard.Content.ReadAsStringAsync());
    }
}
