using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// At start, finds the active signing key (making the first one on a new database) and unwraps it, so the first notice
/// does not wait for it. Start-up does not wait either: when the database is not there yet, the first use loads it.
/// </summary>
public sealed partial class SigningKeyWarmUp(SigningKeys keys, ILogger<SigningKeyWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var active = await keys.ActiveAsync(stoppingToken);
            LogReady(active.KeyId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotReady(e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing notices and descriptions with key {KeyId}")]
    private partial void LogReady(string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The signing key could not be loaded at start ({Error}); it is tried again when first needed")]
    private partial void LogNotReady(string error);
}
