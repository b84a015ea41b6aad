namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Sends a message to a person or channel through the message service, for example "cannot compensate".</summary>
public interface IMessageService
{
    /// <summary>Whether the service has an endpoint; without one, its messages stay in the notification centre.</summary>
    bool IsConfigured { get; }

    Task<AdapterResult> SendAsync(ServiceMessage message, CancellationToken cancellationToken = default);
}

/// <param name="To">Recipient or channel, as the message service names it.</param>
public sealed record ServiceMessage(string To, string Title, string Text, string? Vin = null, long? TaskId = null);
