using System.Net;
using Ota.Testing;
using Ota.Web.Components.Layout;

namespace Ota.Web.Tests.Components;

public sealed class ConsoleShell(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task EveryPageOfTheNavigationAnswers()
    {
        using var client = fixture.App.CreateClient();
        foreach (var page in ConsolePages.All.Where(p => !p.External))
        {
            var response = await client.GetAsync(page.Href);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page.Href} answered {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains(WebUtility.HtmlEncode(page.Title), html);
        }
    }
}
