namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Pushes a notification to the vehicle owner's phone app.</summary>
public interface IMobilePush
{
    /// <summary>Whether the service has an endpoint; without one, its messages stay in the notification centre.</summary>
    bool IsConfigured { get; }

    Task<AdapterResult> PushAsync(MobilePushMessage message, CancellationToken cancellationToken = default);
}

/// <summary>What a push tells the owner (SPEC §7, action 6).</summary>
public enum MobilePushKind
{
    UpgradeSucceeded,
    UpgradeFailed,
    PreconditionsNotMet,
}

public sealed record MobilePushMessage(string Vin, MobilePushKind Kind, string Title, string Text);
