using Bunit;
using MudBlazor.Services;

namespace Ota.Web.Tests.Components;

/// <summary>
/// A bunit context with MudBlazor's services. Created per test with `await using` rather than inherited:
/// MudBlazor's popover service throws on xunit 2's synchronous dispose.
/// </summary>
public static class MudComponentTest
{
    public static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        return ctx;
    }
}
