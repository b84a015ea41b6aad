namespace Ota.Domain.Tasks.Validation;

/// <summary>
/// What validation knows about one VIN, gathered in bulk by the infrastructure (vehicle registry, black/white lists,
/// latest ota_vehicle_upgrade_status row, variant definition). <c>default</c> is a vehicle that was not found.
/// </summary>
public readonly record struct VehicleFacts
{
    public bool Found { get; init; }
    public long SeriesModelId { get; init; }
    public string? Platform { get; init; }
    public LifecycleStatus LifecycleStatus { get; init; }
    public VehicleUsage Usage { get; init; }
    public bool Sold { get; init; }
    /// <summary>As recorded; "0", empty or not a dotted numeric version all mean unknown.</summary>
    public string? FirmwareVersion { get; init; }
    public string? ConfigWord { get; init; }
    public bool Blacklisted { get; init; }
    public bool OnForcedWhitelist { get; init; }
    public bool OnSameVersionWhitelist { get; init; }
    public bool OnDowngradeWhitelist { get; init; }
    /// <summary>Trigger of the vehicle's latest upgrade status report; null when it never reported one.</summary>
    public TriggerType? LatestTrigger { get; init; }
    /// <summary>State of the vehicle's latest upgrade status report; null when it never reported one.</summary>
    public UpgradeState? LatestState { get; init; }
    /// <summary>The vehicle's variant definition says it supports config words.</summary>
    public bool VariantSupportsConfigWord { get; init; }
    /// <summary>How the vehicle takes its updates: a DDI device gets no MQTT notice, it sees the task on its next poll.</summary>
    public UpdateClient UpdateClient { get; init; }

    public static VehicleFacts NotFound => default;
}
