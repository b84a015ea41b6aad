using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>POSTs <c>{vin, from, to, reason}</c> to <c>Adapters:LogService:Url</c>.</summary>
public sealed partial class HttpLogService(HttpClient http, IOptionsMonitor<LogServiceOptions> options, ILogger<HttpLogService> logger) : ILogService
{
    public bool IsConfigured => options.CurrentValue.IsConfigured;

    public async Task<AdapterResult> RequestReadBackAsync(LogReadBackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var endpoint = options.CurrentValue;
        if (!endpoint.IsConfigured) return AdapterResult.NotConfigured;
        var url = endpoint.Url!;

        var response = await JsonPost.SendAsync(http, url, request, AdapterJsonContext.Default.LogReadBackRequest, cancellationToken)
            .ConfigureAwait(false);
        if (!response.Result.IsDelivered) LogFailed(logger, request.Vin, response.Result.Error);
        return response.Result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log read-back request for {Vin} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string vin, string? error);
}
