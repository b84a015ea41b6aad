namespace Ota.Infrastructure.Platform.Adapters;

/// <summary>Asks the vehicle log service to read back a vehicle's logs for a time window.</summary>
public interface ILogService
{
    /// <summary>Whether the service has an endpoint; without one, requests stay in the notification centre.</summary>
    bool IsConfigured { get; }

    Task<AdapterResult> RequestReadBackAsync(LogReadBackRequest request, CancellationToken cancellationToken = default);
}

public sealed record LogReadBackRequest(string Vin, DateTimeOffset From, DateTimeOffset To, string Reason);
