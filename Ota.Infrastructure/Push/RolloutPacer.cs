using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform;
using StackExchange.Redis;

namespace Ota.Infrastructure.Push;

/// <summary>
/// A task's notice rate shared by every instance (SPEC §12 noticeRate): one Redis key per task holds the time the next
/// notice may leave, and a script moves it on by the cost of each batch, atomically, on Redis's clock. An instance asks
/// before each batch and waits what it is told, so two instances together keep to the rate, not twice it.
/// </summary>
public sealed class RolloutPacer(IDatabase redis, IOptions<RedisOptions> options, TimeProvider clock)
{
    public const string KeyPrefix = "ota:rollout-pace:";

    // Microseconds on Redis's clock. The key lives a little longer than the longest wait it can hand out.
    private const string Script =
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
        if nextFree < now then nextFree = now end
        local cost = tonumber(ARGV[1])
        redis.call('SET', KEYS[1], string.format('%.0f', nextFree + cost), 'PX', math.floor((nextFree + cost - now) / 1000) + 60000)
        return string.format('%.0f', nextFree - now)
        """;

    private const string BacklogScript =
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
        if nextFree < now then return '0' end
        return string.format('%.0f', nextFree - now)
        """;

    /// <summary>How long a notice of the task asked for now would wait: the budget other workers have reserved already.</summary>
    public async Task<TimeSpan> BacklogAsync(long taskId, CancellationToken ct) =>
        TimeSpan.FromMicroseconds((long)await redis.ScriptEvaluateAsync(BacklogScript, [Key(taskId)]).WaitAsync(ct));

    // Instances that share work share the Hangfire prefix, so it scopes the key as it scopes their jobs.
    private RedisKey Key(long taskId) => $"{KeyPrefix}{options.Value.HangfirePrefix}{taskId}";

    /// <summary>Waits until <paramref name="count"/> more notices of the task fit in <paramref name="perMinute"/>.</summary>
    public async Task WaitAsync(long taskId, int perMinute, int count, CancellationToken ct)
    {
        if (perMinute <= 0 || count <= 0) return;
        var costMicros = (long)Math.Ceiling(count * 60_000_000.0 / perMinute);
        var waitMicros = (long)(await redis.ScriptEvaluateAsync(Script, [Key(taskId)], [costMicros]).WaitAsync(ct));
        if (waitMicros > 0) await Task.Delay(TimeSpan.FromMicroseconds(waitMicros), clock, ct);
    }
}
