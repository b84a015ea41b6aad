using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// Publishes status reports to the upgrade-status stream exactly once each: a marker key per status report is set in the
/// same script as the XADD, so the decider's immediate publish and the delivery loop's retry never both add an entry.
/// </summary>
public sealed class UpgradeStatusStream(IDatabase redis, IOptions<FollowUpSettings> settings)
{
    /// <summary>How long a published report is remembered; retries come within minutes, so a day is ample.</summary>
    private const int MarkerSeconds = 86_400;

    private static readonly LuaScript Publish = LuaScript.Prepare(
        """
        if redis.call('SET', @marker, '1', 'NX', 'EX', @ttl) then
          return redis.call('XADD', @stream, 'MAXLEN', '~', @maxLength, '*', unpack(cjson.decode(@fields)))
        end
        return false
        """);

    /// <summary>Adds the entry unless this status report was added before; true when this call added it.</summary>
    public async Task<bool> PublishAsync(UpgradeStatusStreamEntry entry, IDatabaseAsync? via = null)
    {
        var key = settings.Value.StreamKey;
        var fields = entry.Fields().SelectMany(f => new[] { (string)f.Name!, (string)f.Value! }).ToArray();
        var result = await (via ?? redis).ScriptEvaluateAsync(Publish, new
        {
            marker = (RedisKey)$"{key}:published:{entry.StatusId}",
            stream = (RedisKey)key,
            ttl = MarkerSeconds,
            maxLength = settings.Value.StreamMaxLength,
            fields = System.Text.Json.JsonSerializer.Serialize(fields),
        });
        return !result.IsNull;
    }
}
