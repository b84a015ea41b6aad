using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>
/// Feishu (Lark) custom bot: <c>{"msg_type":"text","content":{"text":"..."}}</c>, signed with <c>timestamp</c> and
/// <c>sign</c> = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)) when the group has a secret.
/// A 200 answer with a non-zero <c>code</c> is a failure. Webhook URLs and secrets are never logged.
/// </summary>
public sealed partial class FeishuChatWebhook(
    HttpClient http, IOptionsMonitor<ChatWebhookOptions> options, TimeProvider clock, ILogger<FeishuChatWebhook> logger) : IChatWebhook
{
    public bool IsConfigured(ChatGroup group) => options.CurrentValue.For(group).IsConfigured;

    public async Task<AdapterResult> SendTextAsync(ChatGroup group, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var target = options.CurrentValue.For(group);
        if (!target.IsConfigured) return AdapterResult.NotConfigured;

        string? timestamp = null, sign = null;
        if (!string.IsNullOrEmpty(target.Secret))
        {
            timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            sign = Sign(timestamp, target.Secret);
        }

        var message = new FeishuTextMessage(timestamp, sign, "text", new FeishuTextContent(text));
        var response = await JsonPost.SendAsync(http, target.Url!, message, AdapterJsonContext.Default.FeishuTextMessage, cancellationToken)
            .ConfigureAwait(false);
        var result = response.Result.IsDelivered ? ReadFeishuAnswer(response.Body) : response.Result;

        if (result.IsDelivered) LogDelivered(logger, group);
        else LogFailed(logger, group, result.Error);
        return result;
    }

    private static string Sign(string timestamp, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(timestamp + "\n" + secret), Array.Empty<byte>()));

    private static AdapterResult ReadFeishuAnswer(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return AdapterResult.Delivered;
        FeishuResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize(body, AdapterJsonContext.Default.FeishuResponse);
        }
        catch (JsonException)
        {
            // Not Feishu's JSON (a proxy page, say); the HTTP status said success.
            return AdapterResult.Delivered;
        }
        if (answer?.Code is { } code and not 0) return AdapterResult.Failed($"Feishu answered code {code}: {answer.Msg}");
        if (answer?.StatusCode is { } status and not 0) return AdapterResult.Failed($"Feishu answered code {status}: {answer.StatusMessage}");
        return AdapterResult.Delivered;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chat message delivered to {Group}")]
    private static partial void LogDelivered(ILogger logger, ChatGroup group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat message to {Group} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, ChatGroup group, string? error);
}
