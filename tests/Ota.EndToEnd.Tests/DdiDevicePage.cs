using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.Ddi;
using Ota.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ota.EndToEnd.Tests;

/// <summary>A DDI device's vehicle page says how it takes its updates and shows the attributes it sent (SPEC §14).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DdiDevicePage(BrowserFixture fixture) : Journey(fixture)
{
    [Fact]
    public async Task AVehiclePageShowsItsUpdateClientAndTheDevicesAttributes()
    {
        var vin = TestFleet.TestVin(1, 'Y');
        var services = Browser.App.Services;
        await Browser.Fleet.AddVehiclesAsync([(await Browser.Fleet.VehicleAsync(vin)) with { UpdateClient = UpdateClient.Ddi }]);
        await services.GetRequiredService<DdiTokens>().IssueAsync(vin, CancellationToken.None);
        await services.GetRequiredService<DdiConfigData>().SaveAsync(vin, DdiConfigMode.Merge,
            new Dictionary<string, string> { ["hwRevision"] = "1.0", ["board"] = "imx8-headunit" }, CancellationToken.None);

        var page = await Browser.SignedInPageAsync(Browser.Viewer);
        await Browser.GotoAsync(page, $"/vehicles/{vin}");

        await Expect(page.Locator("[data-testid=update-client]")).ToContainTextAsync("DDI (hawkBit API), token issued");
        await Expect(page.Locator("[data-testid=ddi-attributes]")).ToContainTextAsync("imx8-headunit");
        await Expect(page.Locator("[data-testid=ddi-attributes]")).ToContainTextAsync("hwRevision");
        await BrowserFixture.ScreenshotAsync(page, "vehicle-ddi");
    }
}
