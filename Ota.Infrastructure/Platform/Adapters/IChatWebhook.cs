namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Posts text to a chat group through its bot webhook.</summary>
public interface IChatWebhook
{
    Task<AdapterResult> SendTextAsync(ChatGroup group, string text, CancellationToken cancellationToken = default);
}
