using System.Text.Json.Serialization;

namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Feishu bot text message; <c>timestamp</c> and <c>sign</c> only when the bot has a signing secret.</summary>
internal sealed record FeishuTextMessage(
    [property: JsonPropertyName("timestamp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Timestamp,
    [property: JsonPropertyName("sign"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Sign,
    [property: JsonPropertyName("msg_type")] string MsgType,
    [property: JsonPropertyName("content")] FeishuTextContent Content);

internal sealed record FeishuTextContent([property: JsonPropertyName("text")] string Text);

/// <summary>Feishu's answer: <c>code</c> 0 is success (older bots answer <c>StatusCode</c>).</summary>
internal sealed record FeishuResponse(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("msg")] string? Msg,
    [property: JsonPropertyName("StatusCode")] int? StatusCode,
    [property: JsonPropertyName("StatusMessage")] string? StatusMessage);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(FeishuTextMessage))]
[JsonSerializable(typeof(FeishuResponse))]
[JsonSerializable(typeof(LogReadBackRequest))]
[JsonSerializable(typeof(ServiceMessage))]
[JsonSerializable(typeof(MobilePushMessage))]
internal sealed partial class AdapterJsonContext : JsonSerializerContext;
