using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>POSTs <c>{to, title, text, vin, taskId}</c> to <c>Adapters:MessageService:Url</c>.</summary>
public sealed partial class HttpMessageService(HttpClient http, IOptionsMonitor<MessageServiceOptions> options, ILogger<HttpMessageService> logger)
    : IMessageService
{
    public bool IsConfigured => options.CurrentValue.IsConfigured;

    public async Task<AdapterResult> SendAsync(ServiceMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var endpoint = options.CurrentValue;
        if (!endpoint.IsConfigured) return AdapterResult.NotConfigured;
        var url = endpoint.Url!;

        var response = await JsonPost.SendAsync(http, url, message, AdapterJsonContext.Default.ServiceMessage, cancellationToken)
            .ConfigureAwait(false);
        if (!response.Result.IsDelivered) LogFailed(logger, message.Title, response.Result.Error);
        return response.Result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message \"{Title}\" failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string title, string? error);
}
