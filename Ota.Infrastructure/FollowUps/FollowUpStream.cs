using System.Text.Json;
using StackExchange.Redis;

namespace Ota.Infrastructure.FollowUps;

/// <summary>An entry of the upgrade-status stream (SPEC §7 item 7), kept on its follow-up row until it is published.</summary>
public sealed record UpgradeStatusStreamEntry(
    string Vin, string EventId, long StatusId, long? TaskId, string? MessageId, string State, string TriggerType,
    string? ErrorType, string? InnerErrorCode, string? Version, DateTime OccurredAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static UpgradeStatusStreamEntry FromJson(string json) =>
        JsonSerializer.Deserialize<UpgradeStatusStreamEntry>(json, Json) ?? throw new JsonException("An empty stream entry.");

    /// <summary>Field names as consumers read them; absent values are left out. Each status report is added once (see <see cref="UpgradeStatusStream"/>).</summary>
    public NameValueEntry[] Fields()
    {
        var fields = new List<NameValueEntry>(11)
        {
            new("vin", Vin), new("eventId", EventId), new("statusId", StatusId), new("state", State), new("triggerType", TriggerType),
            new("occurredAt", OccurredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (TaskId is { } t) fields.Add(new("taskId", t));
        if (MessageId is not null) fields.Add(new("messageId", MessageId));
        if (ErrorType is not null) fields.Add(new("errorType", ErrorType));
        if (InnerErrorCode is not null) fields.Add(new("innerErrorCode", InnerErrorCode));
        if (Version is not null) fields.Add(new("version", Version));
        return fields.ToArray();
    }
}
