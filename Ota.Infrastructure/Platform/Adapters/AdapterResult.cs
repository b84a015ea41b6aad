namespace Ota.Infrastructure.Platform.Adapters;

public enum AdapterOutcome
{
    Delivered,
    /// <summary>The adapter has no URL configured; nothing was sent.</summary>
    NotConfigured,
    /// <summary>Sent and retried, but the receiver did not accept it; <see cref="AdapterResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>What became of one outgoing call, so the caller can record it and retry later. Adapters never throw for HTTP failures.</summary>
public readonly record struct AdapterResult(AdapterOutcome Outcome, string? Error = null)
{
    public static AdapterResult Delivered { get; } = new(AdapterOutcome.Delivered);

    public static AdapterResult NotConfigured { get; } = new(AdapterOutcome.NotConfigured);

    public static AdapterResult Failed(string error) => new(AdapterOutcome.Failed, error);

    public bool IsDelivered => Outcome == AdapterOutcome.Delivered;
}
