using Ota.Infrastructure.Platform.Redis;

namespace Ota.Infrastructure.Tests.Platform.Redis;

/// <summary>When a cached entry still holds: the one rule the signing keys and the vehicle secrets share.</summary>
public sealed class SharedGenerationTrust
{
    [Fact]
    public void WhileTheGenerationIsKnownAnEntryHoldsExactlyWhileItsGenerationIsCurrent()
    {
        Assert.True(SharedGeneration.Holds(7, 7, TimeSpan.FromHours(1)));
        Assert.False(SharedGeneration.Holds(7, 8, TimeSpan.Zero));
        // Filled while Redis was away: read again as soon as the generation is known.
        Assert.False(SharedGeneration.Holds(null, 8, TimeSpan.Zero));
    }

    [Fact]
    public void WhileTheGenerationIsUnknownAnEntryIsTrustedOnlyBriefly()
    {
        Assert.True(SharedGeneration.Holds(7, null, TimeSpan.FromMilliseconds(999)));
        Assert.True(SharedGeneration.Holds(null, null, TimeSpan.Zero));
        Assert.False(SharedGeneration.Holds(7, null, SharedGeneration.TrustWhileUnknown));
        // Within 2 s of a change elsewhere (SPEC §15), with a second to spare for the reading.
        Assert.True(SharedGeneration.TrustWhileUnknown <= TimeSpan.FromSeconds(1));
    }
}
