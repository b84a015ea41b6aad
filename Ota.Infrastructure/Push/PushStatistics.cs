namespace Ota.Infrastructure.Push;

/// <summary>
/// Running totals of this instance's notice chunks: how many and where the time went (summed over concurrent workers).
/// Read by the push benchmark; cheap enough to keep always on.
/// </summary>
public sealed class PushStatistics
{
    private long _chunks, _sent, _claimTicks, _judgeTicks, _closeTicks, _sendTicks, _recordTicks;

    public long Chunks => Interlocked.Read(ref _chunks);
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Time per phase: claim, judge (facts read and rules), close (rejections, sampling supersession), send, record.</summary>
    public IReadOnlyList<(string Phase, TimeSpan Time)> Phases =>
    [
        ("claim", Span(ref _claimTicks)), ("judge", Span(ref _judgeTicks)), ("close", Span(ref _closeTicks)),
        ("send", Span(ref _sendTicks)), ("record", Span(ref _recordTicks)),
    ];

    internal void Add(int sent, TimeSpan claim, TimeSpan judge, TimeSpan close, TimeSpan send, TimeSpan record)
    {
        Interlocked.Increment(ref _chunks);
        Interlocked.Add(ref _sent, sent);
        Interlocked.Add(ref _claimTicks, claim.Ticks);
        Interlocked.Add(ref _judgeTicks, judge.Ticks);
        Interlocked.Add(ref _closeTicks, close.Ticks);
        Interlocked.Add(ref _sendTicks, send.Ticks);
        Interlocked.Add(ref _recordTicks, record.Ticks);
    }

    private static TimeSpan Span(ref long ticks) => TimeSpan.FromTicks(Interlocked.Read(ref ticks));
}
