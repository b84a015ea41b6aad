using Microsoft.JSInterop;

namespace Ota.Web.Components.Shared;

/// <summary>
/// The one refresh loop of the console's live pages (task page, task list, dashboard): a tick every <see cref="Every"/>
/// while the page's circuit is open, skipped while the browser tab is hidden, and never two refreshes at once (a slow
/// refresh makes the next tick wait). The page's refresh runs on its renderer's thread through <c>invoke</c>.
/// </summary>
public sealed class LiveRefresh(IJSRuntime js, Func<Func<Task>, Task> invoke, Func<CancellationToken, Task> refresh, TimeSpan every) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public TimeSpan Every => every;

    public void Start() => _ = RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (!await VisibleAsync(ct)) continue;
                await invoke(() => refresh(ct));
            }
        }
        catch (OperationCanceledException)
        {
            // The operator left the page.
        }
        catch (JSDisconnectedException)
        {
            // The browser went away; the circuit is being torn down.
        }
    }

    private async Task<bool> VisibleAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(every);
        try
        {
            return await js.InvokeAsync<bool>("otaConsole.isVisible", timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The browser did not answer within a tick (a slow link): refresh anyway rather than stall the page.
            return true;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
