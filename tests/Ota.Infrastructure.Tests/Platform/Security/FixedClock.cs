namespace Ota.Infrastructure.Tests.Platform.Security;

/// <summary>A clock that reads the same instant until the test moves it, for checks that depend on "now".</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public static FixedClock AtUnixSeconds(long seconds) => new(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
