using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>POSTs <c>{vin, kind, title, text}</c> to <c>Adapters:MobilePush:Url</c>.</summary>
public sealed partial class HttpMobilePush(HttpClient http, IOptionsMonitor<MobilePushOptions> options, ILogger<HttpMobilePush> logger) : IMobilePush
{
    public bool IsConfigured => options.CurrentValue.IsConfigured;

    public async Task<AdapterResult> PushAsync(MobilePushMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var endpoint = options.CurrentValue;
        if (!endpoint.IsConfigured) return AdapterResult.NotConfigured;
        var url = endpoint.Url!;

        var response = await JsonPost.SendAsync(http, url, message, AdapterJsonContext.Default.MobilePushMessage, cancellationToken)
            .ConfigureAwait(false);
        if (!response.Result.IsDelivered) LogFailed(logger, message.Vin, message.Kind, response.Result.Error);
        return response.Result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mobile push {Kind} for {Vin} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string vin, MobilePushKind kind, string? error);
}
