namespace Ota.Infrastructure.Tests.Platform.Security;

/// <summary>A clock that always reads the same instant, for checks that depend on "now".</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static FixedClock AtUnixSeconds(long seconds) => new(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public override DateTimeOffset GetUtcNow() => now;
}
