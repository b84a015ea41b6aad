namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// How many of the broker's refusals reach the log: the first <c>perMinute</c> of each minute. A car reconnecting every
/// second with a stale secret, or a scanner trying user names, would otherwise bury everything else in Warnings. The
/// minute starts at the first refusal after the previous one ended; what went unlogged in it is reported with the
/// next refusal that is written.
/// </summary>
public sealed class RefusalLog(int perMinute, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private DateTimeOffset _windowStart;
    private DateTimeOffset _windowEnd = DateTimeOffset.MinValue;
    private int _written;
    private long _unwritten;

    /// <summary>What to do with one refusal.</summary>
    /// <param name="Write">Write it.</param>
    /// <param name="LastOfWindow">It is the last one written until <see cref="WindowEnd"/>: say that logging pauses.</param>
    /// <param name="UnwrittenBefore">Refusals left out of the log in the previous window (reported once, with this one).</param>
    /// <param name="PreviousWindowStart">When that previous window began.</param>
    /// <param name="WindowEnd">When the current window ends.</param>
    public readonly record struct Decision(
        bool Write, bool LastOfWindow, long UnwrittenBefore, DateTimeOffset PreviousWindowStart, DateTimeOffset WindowEnd);

    public Decision Next()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            long unwrittenBefore = 0;
            var previousStart = _windowStart;
            if (now >= _windowEnd)
            {
                unwrittenBefore = _unwritten;
                _windowStart = now;
                _windowEnd = now + Window;
                _written = 0;
                _unwritten = 0;
            }

            if (_written >= perMinute)
            {
                _unwritten++;
                return new Decision(false, false, 0, previousStart, _windowEnd);
            }

            _written++;
            return new Decision(true, _written == perMinute, unwrittenBefore, previousStart, _windowEnd);
        }
    }
}
