using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Batching;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// A short-lived memory of the vehicle signatures already accepted, so a captured signed request cannot be replayed
/// while its timestamp is still within the allowed skew (SPEC §10). Kept in Redis (<c>SET NX EX</c>), so every app
/// instance knows what any of them accepted; while Redis is unreachable this instance's own memory stands in, so
/// vehicles are still served (a replay sent to another instance during an outage is then not recognised). Signatures
/// that arrive together go to Redis in one script call (<see cref="RequestBatcher{TItem,TResult}"/>).
/// </summary>
public sealed partial class SeenSignatures : IAsyncDisposable
{
    public const string KeyPrefix = "ota:vehicle-signature:";

    // SET NX PX for each key, in one call: 1 where the key was new, 0 where it was there already.
    private const string SetEachIfNew = """
        local r = {}
        for i, k in ipairs(KEYS) do
          if redis.call('SET', k, '1', 'NX', 'PX', ARGV[i]) then r[i] = 1 else r[i] = 0 end
        end
        return r
        """;

    // A Redis that does not answer this fast is treated as down for this request; the vehicle is not kept waiting.
    private static readonly TimeSpan RedisPatience = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    // Signature → when it may be forgotten (Unix seconds); used only while Redis cannot be reached.
    private readonly ConcurrentDictionary<string, long> _here = new(StringComparer.Ordinal);
    private long _nextSweep;
    private long _nextWarning;
    private long _missed;
    private volatile string? _lastFailure;
    private readonly IDatabase _redis;
    private readonly TimeProvider _clock;
    private readonly ILogger<SeenSignatures> _logger;
    private readonly RequestBatcher<(RedisKey Key, long KeepMs), bool?> _batcher;

    public SeenSignatures(IDatabase redis, TimeProvider clock, ILogger<SeenSignatures> logger)
    {
        _redis = redis;
        _clock = clock;
        _logger = logger;
        _batcher = new RequestBatcher<(RedisKey, long), bool?>(SetInRedisAsync, maxBatch: 256, workers: 2, "vehicle signature checks", logger);
    }

    /// <summary>Signatures remembered in this process (while Redis was down) and not yet forgotten.</summary>
    public int HeldHere => _here.Count;

    /// <summary>
    /// Records <paramref name="signature"/> until <paramref name="forgetAfter"/> (when its timestamp leaves the allowed
    /// skew and the signature is refused anyway); true the first time, false when it was seen before.
    /// </summary>
    public async ValueTask<bool> FirstSightAsync(string signature, DateTimeOffset forgetAfter, CancellationToken ct)
    {
        // Hex is case-insensitive to the signature check, so one request must not pass twice in two spellings.
        var key = signature.ToLowerInvariant();
        var now = _clock.GetUtcNow();
        var keep = forgetAfter - now;
        if (keep < TimeSpan.FromSeconds(1)) keep = TimeSpan.FromSeconds(1);
        Sweep(now.ToUnixTimeSeconds());
        // A disconnected multiplexer would queue the command until its timeout; ask it only when it is connected.
        if (_redis.Multiplexer.IsConnected)
        {
            string reason;
            try
            {
                var first = await _batcher.SubmitAsync((KeyPrefix + key, (long)keep.TotalMilliseconds), ct).WaitAsync(RedisPatience, ct);
                // What this instance remembered during an outage still counts once Redis is back.
                if (first is { } answered) return answered && (_here.IsEmpty || !_here.ContainsKey(key));
                reason = _lastFailure ?? "no answer";
            }
            catch (TimeoutException e)
            {
                reason = e.Message;
            }
            // One line per half minute, with how many signatures it concerned: a slow Redis under load is not a flood of warnings.
            Interlocked.Increment(ref _missed);
            var second = now.ToUnixTimeSeconds();
            var due = Interlocked.Read(ref _nextWarning);
            if (second >= due && Interlocked.CompareExchange(ref _nextWarning, second + 30, due) == due)
                LogRedisUnavailable(reason, Interlocked.Exchange(ref _missed, 0));
        }
        return FirstSightHere(key, (now + keep).ToUnixTimeSeconds(), now.ToUnixTimeSeconds());
    }

    /// <summary>True where the key was new, false where it was set already; null for every key when Redis did not answer.</summary>
    private async Task<IReadOnlyList<bool?>> SetInRedisAsync(IReadOnlyList<(RedisKey Key, long KeepMs)> checks, CancellationToken ct)
    {
        try
        {
            var result = (RedisResult[])(await _redis.ScriptEvaluateAsync(SetEachIfNew, checks.Select(c => c.Key).ToArray(),
                checks.Select(c => (RedisValue)c.KeepMs).ToArray()))!;
            return result.Select(r => (bool?)((long)r == 1)).ToArray();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _lastFailure = e.Message;
            return new bool?[checks.Count];
        }
    }

    private void Sweep(long now)
    {
        if (_here.IsEmpty || Interlocked.Read(ref _nextSweep) > now) return;
        Interlocked.Exchange(ref _nextSweep, now + (long)SweepInterval.TotalSeconds);
        foreach (var (seen, until) in _here)
            if (until < now) _here.TryRemove(seen, out _);
    }

    private bool FirstSightHere(string key, long forgetAt, long now)
    {
        if (_here.TryAdd(key, forgetAt)) return true;
        // An entry past its time is a request whose timestamp is out of skew by now; it would not get here, but be exact.
        if (_here.TryGetValue(key, out var until) && until < now && _here.TryUpdate(key, forgetAt, until)) return true;
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis did not take {Count} vehicle signature(s) ({Reason}); this instance remembers them meanwhile")]
    private partial void LogRedisUnavailable(string reason, long count);

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
