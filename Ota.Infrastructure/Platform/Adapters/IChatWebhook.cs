namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Posts text to a chat group through its bot webhook.</summary>
public interface IChatWebhook
{
    /// <summary>Whether the group has a webhook; without one, its messages stay in the notification centre.</summary>
    bool IsConfigured(ChatGroup group);

    Task<AdapterResult> SendTextAsync(ChatGroup group, string text, CancellationToken cancellationToken = default);
}
