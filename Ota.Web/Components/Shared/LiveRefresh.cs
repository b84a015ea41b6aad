using Microsoft.JSInterop;

namespace Ota.Web.Components.Shared;

/// <summary>
/// The one refresh loop of the console's live pages (task page, task list, dashboard): a tick every <see cref="Every"/>
/// while the page's circuit is open, skipped while the browser tab is hidden, and never two refreshes at once (a slow
/// refresh makes the next tick wait). The page's refresh runs on its renderer's thread through <c>invoke</c>.
/// </summary>
public sealed partial class LiveRefresh(IJSRuntime js, Func<Func<Task>, Task> invoke, Func<CancellationToken, Task> refresh, TimeSpan every, ILogger logger)
    : IDisposable
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
                try
                {
                    if (!await VisibleAsync(ct)) continue;
                    await invoke(() => refresh(ct));
                }
                catch (Exception e) when (e is not (OperationCanceledException or JSDisconnectedException))
                {
                    // One failed refresh (the database did not answer, a script was stale) must not end the page's updates.
                    LogRefreshFailed(logger, e.GetType().Name, e.Message);
                }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live console page's refresh failed ({Kind}: {Failure}); it tries again on the next tick")]
    private static partial void LogRefreshFailed(ILogger logger, string kind, string failure);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
