namespace Ota.Infrastructure.FollowUps;

/// <summary>Wakes this instance's follow-up worker when a report stored new work, so it need not wait for its next poll.</summary>
public sealed class FollowUpSignal
{
    private volatile TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => _next.TrySetResult();

    /// <summary>Completes at the next <see cref="Notify"/> or after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        var current = _next;
        try
        {
            await current.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            return;
        }
        Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }
}
