namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Book-keeping for one send: which notices failed, how many publishes are still awaiting acknowledgement, and a stall watchdog.</summary>
internal sealed class NoticeBatch(IReadOnlyList<VehicleNotice> notices, TimeProvider clock)
{
    private readonly List<NoticeFailure> _failures = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The sending loop holds one count until it has started every publish.
    private int _outstanding = 1;
    private int _unacknowledged;
    private long _lastProgress = clock.GetTimestamp();
    private volatile bool _stalled;

    public bool Stalled => _stalled;

    public void Started()
    {
        Interlocked.Increment(ref _outstanding);
        // The stall clock starts when the first publish goes out, not while connecting.
        if (Interlocked.Increment(ref _unacknowledged) == 1) Volatile.Write(ref _lastProgress, clock.GetTimestamp());
    }

    public void Completed()
    {
        Volatile.Write(ref _lastProgress, clock.GetTimestamp());
        Interlocked.Decrement(ref _unacknowledged);
        Release();
    }

    public void Fail(int index, string error)
    {
        lock (_failures) _failures.Add(new NoticeFailure(index, notices[index], error));
    }

    public void FailFrom(int index, string error)
    {
        lock (_failures)
        {
            for (var i = index; i < notices.Count; i++) _failures.Add(new NoticeFailure(i, notices[i], error));
        }
    }

    /// <summary>Why a publish was cut short: the watchdog (no acknowledgements) or the caller.</summary>
    public string CancellationReason(TimeSpan publishTimeout) =>
        _stalled
            ? $"no acknowledgement from the MQTT broker within {publishTimeout.TotalSeconds:0.#} s"
            : "cancelled before the broker acknowledged it";

    /// <summary>Waits for the publishes already started; releases the sending loop's own count first.</summary>
    public Task DrainedAsync()
    {
        Release();
        return _drained.Task;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0) _drained.TrySetResult();
    }

    /// <summary>Cancels the batch when publishes are outstanding and none has completed for <paramref name="timeout"/>.</summary>
    public IAsyncDisposable StartWatchdog(TimeSpan timeout, CancellationTokenSource batchCancellation)
    {
        var period = timeout / 4 > TimeSpan.FromMilliseconds(50) ? timeout / 4 : TimeSpan.FromMilliseconds(50);
        return clock.CreateTimer(_ =>
        {
            if (Volatile.Read(ref _unacknowledged) == 0 || clock.GetElapsedTime(Volatile.Read(ref _lastProgress)) < timeout) return;
            _stalled = true;
            try
            {
                batchCancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The batch finished while the timer fired.
            }
        }, null, period, period);
    }

    public NoticeSendResult ToResult()
    {
        lock (_failures)
        {
            _failures.Sort(static (a, b) => a.Index.CompareTo(b.Index));
            return new NoticeSendResult(notices.Count, _failures.ToArray());
        }
    }
}
