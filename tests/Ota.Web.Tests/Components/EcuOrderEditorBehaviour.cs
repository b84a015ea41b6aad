using Bunit;
using MudBlazor;
using Ota.Infrastructure.Catalog;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

public sealed class EcuOrderEditorBehaviour
{
    private static List<EcuOrderItem> Items() =>
    [
        new() { EcuId = 1, Code = "CDC", Name = "Cockpit", Order = 1 },
        new() { EcuId = 2, Code = "BMS", Name = "Battery", Order = 2 },
        new() { EcuId = 3, Code = "TBOX", Name = "Telematics", Order = null },
    ];

    private static IRenderedComponent<EcuOrderEditor> Render(BunitContext ctx, List<EcuOrderItem> items, List<List<EcuOrderItem>> changes, bool readOnly = false)
    {
        ctx.Render<MudPopoverProvider>();
        return ctx.Render<EcuOrderEditor>(p => p
            .Add(x => x.Items, items)
            .Add(x => x.ItemsChanged, changed => changes.Add(changed))
            .Add(x => x.AvailableEcus, [new EcuOption(1, "CDC", "Cockpit"), new EcuOption(2, "BMS", "Battery"), new EcuOption(3, "TBOX", "Telematics"), new EcuOption(4, "VCU", "Vehicle")])
            .Add(x => x.ReadOnly, readOnly));
    }

    private static string Orders(List<EcuOrderItem> items) => string.Join(" ", items.Select(i => $"{i.Code}={i.Order?.ToString() ?? "-"}"));

    [Fact]
    public async Task AnEcuWithoutAnOrderIsNamedBesideTheEditor()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = Render(ctx, Items(), []);

        var message = cut.Find("[data-testid=ecu-order-missing]").TextContent;
        Assert.Contains("TBOX has no upgrade order", message);
        Assert.Contains("cannot be saved", message);
        Assert.Equal("no order", cut.Find("[data-testid=ecu-TBOX] [data-testid=order]").TextContent.Trim());
    }

    [Fact]
    public async Task MovingAnEcuDownRenumbersTheOrder()
    {
        await using var ctx = MudComponentTest.NewContext();
        var items = Items();
        var changes = new List<List<EcuOrderItem>>();
        var cut = Render(ctx, items, changes);

        await cut.Find("[data-testid=ecu-CDC] button[data-testid=ecu-down]").ClickAsync(new());

        Assert.Equal("BMS=1 CDC=2 TBOX=-", Orders(items));
        Assert.Single(changes);
        Assert.Equal("1", cut.Find("[data-testid=ecu-BMS] [data-testid=order]").TextContent.Trim());
        Assert.Equal("2", cut.Find("[data-testid=ecu-CDC] [data-testid=order]").TextContent.Trim());
    }

    [Fact]
    public async Task PuttingTheMissingEcuInOrderAppendsItAndClearsTheMessage()
    {
        await using var ctx = MudComponentTest.NewContext();
        var items = Items();
        var cut = Render(ctx, items, []);

        await cut.Find("[data-testid=ecu-TBOX] button[data-testid=put-in-order]").ClickAsync(new());

        Assert.Equal("CDC=1 BMS=2 TBOX=3", Orders(items));
        Assert.Empty(cut.FindAll("[data-testid=ecu-order-missing]"));
        Assert.Empty(cut.FindAll("[data-testid=unordered-zone]"));
    }

    [Fact]
    public async Task RemovingAnEcuClosesTheGapInTheOrder()
    {
        await using var ctx = MudComponentTest.NewContext();
        var items = Items();
        var cut = Render(ctx, items, []);

        await cut.Find("[data-testid=ecu-CDC] button[data-testid=ecu-remove]").ClickAsync(new());

        Assert.Equal("BMS=1 TBOX=-", Orders(items));
    }

    [Fact]
    public async Task TheFirstCannotMoveUpNorTheLastDown()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = Render(ctx, Items(), []);

        Assert.True(cut.Find("[data-testid=ecu-CDC] button[data-testid=ecu-up]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=ecu-BMS] button[data-testid=ecu-down]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ReadOnlyShowsTheOrderWithoutControls()
    {
        await using var ctx = MudComponentTest.NewContext();
        var cut = Render(ctx, Items(), [], readOnly: true);

        Assert.Empty(cut.FindAll("[data-testid=ecu-up], [data-testid=ecu-down], [data-testid=ecu-remove], [data-testid=put-in-order], [data-testid=add-ecu]"));
        Assert.Equal("1", cut.Find("[data-testid=ecu-CDC] [data-testid=order]").TextContent.Trim());
    }
}
