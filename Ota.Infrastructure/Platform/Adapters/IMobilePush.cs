namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Pushes a notification to the vehicle owner's phone app.</summary>
public interface IMobilePush
{
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
