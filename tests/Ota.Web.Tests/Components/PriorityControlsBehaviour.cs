using Bunit;
using MudBlazor;
using Ota.Web.Components.Shared;

namespace Ota.Web.Tests.Components;

public sealed class PriorityControlsBehaviour
{
    private static (IRenderedComponent<PriorityControls> Controls, List<bool> Moves) Render(BunitContext ctx, bool movable = true, bool editable = true,
        bool isFirst = false, bool isLast = false)
    {
        ctx.Render<MudPopoverProvider>();
        var moves = new List<bool>();
        var cut = ctx.Render<PriorityControls>(p => p
            .Add(x => x.TaskId, 7).Add(x => x.Priority, 3).Add(x => x.Movable, movable).Add(x => x.Editable, editable)
            .Add(x => x.IsFirst, isFirst).Add(x => x.IsLast, isLast)
            .Add(x => x.OnMove, up => moves.Add(up)));
        return (cut, moves);
    }

    [Fact]
    public async Task UpAndDownReportTheDirection()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, moves) = Render(ctx);

        Assert.Equal("3", cut.Find("[data-testid=priority-value]").TextContent);
        await cut.Find("button[data-testid=move-up]").ClickAsync(new());
        await cut.Find("button[data-testid=move-down]").ClickAsync(new());

        Assert.Equal([true, false], moves);
    }

    [Fact]
    public async Task TheFirstTaskCannotMoveUpAndTheLastCannotMoveDown()
    {
        await using var firstContext = MudComponentTest.NewContext();
        var (first, _) = Render(firstContext, isFirst: true);
        Assert.True(first.Find("button[data-testid=move-up]").HasAttribute("disabled"));
        Assert.False(first.Find("button[data-testid=move-down]").HasAttribute("disabled"));

        await using var lastContext = MudComponentTest.NewContext();
        var (last, _) = Render(lastContext, isLast: true);
        Assert.False(last.Find("button[data-testid=move-up]").HasAttribute("disabled"));
        Assert.True(last.Find("button[data-testid=move-down]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AViewerSeesTheArrowsDisabledAndCannotMove()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, moves) = Render(ctx, editable: false);

        var buttons = cut.FindAll("button");
        Assert.Equal(2, buttons.Count);
        Assert.All(buttons, b => Assert.True(b.HasAttribute("disabled")));
        Assert.Empty(moves);
    }

    [Fact]
    public async Task AClosedTaskShowsItsPriorityWithoutArrows()
    {
        await using var ctx = MudComponentTest.NewContext();
        var (cut, _) = Render(ctx, movable: false);

        Assert.Equal("3", cut.Find("[data-testid=priority-value]").TextContent);
        Assert.Empty(cut.FindAll("button"));
    }
}
