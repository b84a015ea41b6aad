using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Redis;

/// <summary>
/// A generation number every instance shares through one Redis counter, for an in-memory cache that must drop what it
/// holds when any instance changes the data under it: a change bumps it (here at once, on the other instances within
/// <paramref name="checkEvery"/>), and an entry is good while the generation it was filled under is still current.
/// While Redis cannot be read the generation is unknown (<see cref="CurrentAsync"/> gives null): a cache then keeps
/// nothing, or trusts an entry only briefly (<see cref="Holds"/>).
/// </summary>
public partial class SharedGeneration(IDatabase redis, string key, TimeSpan checkEvery, TimeProvider clock, ILogger logger)
{
    /// <summary>
    /// While the generation is unknown, how long an entry is trusted after it was read. No change made on another
    /// instance can be heard of then, so this bounds how late one is seen (a rotated secret or key within 2 s, SPEC §15);
    /// and the data is read at most this often, not on every call, while Redis is away.
    /// </summary>
    public static readonly TimeSpan TrustWhileUnknown = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether an entry filled under <paramref name="filledUnder"/> (null: while the generation was unknown), read
    /// <paramref name="age"/> ago, still holds now that the generation is <paramref name="current"/>.
    /// </summary>
    public static bool Holds(long? filledUnder, long? current, TimeSpan age) =>
        current is { } g ? filledUnder == g : age < TrustWhileUnknown;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _version;
    private long _seen = long.MinValue;
    private long _checkedAt;
    private bool _known;

    /// <summary>The current generation, or null when it cannot be known (Redis unreachable).</summary>
    public async ValueTask<long?> CurrentAsync(CancellationToken ct)
    {
        var recent = clock.GetElapsedTime(Volatile.Read(ref _checkedAt)) < checkEvery;
        if (recent) return _known ? Volatile.Read(ref _version) : null;
        // One caller reads Redis; the others go on with the generation known so far, or without one (no caching) while
        // it is unknown: a Redis that hangs must not queue every caller behind one read.
        if (!await _gate.WaitAsync(0, ct)) return _known ? Volatile.Read(ref _version) : null;
        try
        {
            var value = await redis.StringGetAsync(key);
            var seen = value.HasValue && long.TryParse(value.ToString(), out var v) ? v : 0;
            if (seen != _seen)
            {
                _seen = seen;
                Interlocked.Increment(ref _version);
            }
            _known = true;
            Volatile.Write(ref _checkedAt, clock.GetTimestamp());
            return Volatile.Read(ref _version);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Tried again after checkEvery, not by every caller.
            _known = false;
            Volatile.Write(ref _checkedAt, clock.GetTimestamp());
            LogUnknown(key, e.Message);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a change is committed: this instance drops its entries now, the others at their next check.</summary>
    public async Task BumpAsync()
    {
        Interlocked.Increment(ref _version);
        try
        {
            await redis.StringIncrementAsync(key);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The others cannot be told: until Redis answers they read no generation, so they cache nothing either.
            LogUnknown(key, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared generation {Key} cannot be read or bumped ({Error}): caching off until Redis answers")]
    private partial void LogUnknown(string key, string error);
}
