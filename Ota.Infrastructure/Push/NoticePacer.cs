using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Push;

/// <summary>
/// Holds this instance's notices to <see cref="PushOptions.MaxNoticesPerSecond"/> (a rollout rate, so a campaign does
/// not send a whole fleet to the package servers in the same minute). Shared by every worker of the instance.
/// </summary>
public sealed class NoticePacer(IOptions<PushOptions> options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private long _nextFreeTimestamp;

    /// <summary>Waits until <paramref name="count"/> more notices fit in the rate; returns at once when no rate is set.</summary>
    public async Task WaitAsync(int count, CancellationToken ct)
    {
        var rate = options.Value.MaxNoticesPerSecond;
        if (rate <= 0 || count <= 0) return;
        var cost = (long)((double)count / rate * clock.TimestampFrequency);
        long startAt;
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            startAt = Math.Max(now, _nextFreeTimestamp);
            _nextFreeTimestamp = startAt + cost;
        }
        var wait = startAt - clock.GetTimestamp();
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / clock.TimestampFrequency), clock, ct);
    }
}
