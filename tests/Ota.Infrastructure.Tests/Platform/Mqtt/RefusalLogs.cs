using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Tests.Platform.Security;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>How many broker refusals reach the log in a minute, and how the ones left out are reported.</summary>
public sealed class RefusalLogs
{
    private readonly FixedClock _clock = FixedClock.AtUnixSeconds(1_800_000_000);

    [Fact]
    public void WritesTheFirstOnesOfAMinuteAndSaysWhenItPauses()
    {
        var log = new RefusalLog(3, _clock);

        var decisions = Enumerable.Range(0, 5).Select(_ => log.Next()).ToList();

        Assert.Equal([true, true, true, false, false], decisions.Select(d => d.Write));
        Assert.Equal([false, false, true, false, false], decisions.Select(d => d.LastOfWindow));
        Assert.Equal(_clock.GetUtcNow() + RefusalLog.Window, decisions[2].WindowEnd);
        Assert.All(decisions, d => Assert.Equal(0, d.UnwrittenBefore));
    }

    [Fact]
    public void ReportsWhatWentUnwrittenWithTheNextMinutesFirstLine()
    {
        var log = new RefusalLog(2, _clock);
        var start = _clock.GetUtcNow();
        for (var i = 0; i < 7; i++) log.Next();

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(log.Next().Write);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var first = log.Next();
        var second = log.Next();

        Assert.True(first.Write);
        Assert.Equal(6, first.UnwrittenBefore);
        Assert.Equal(start, first.PreviousWindowStart);
        Assert.Equal(0, second.UnwrittenBefore);
    }

    [Fact]
    public void AQuietMinuteReportsNothing()
    {
        var log = new RefusalLog(2, _clock);
        log.Next();

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(new RefusalLog.Decision(true, false, 0, _clock.GetUtcNow() - TimeSpan.FromMinutes(5), _clock.GetUtcNow() + RefusalLog.Window), log.Next());
    }
}
