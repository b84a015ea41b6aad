namespace Ota.Domain.Vehicles;

/// <summary>A vehicle of the fleet registry (the local stand-in for the vehicle configuration service).</summary>
public class Vehicle
{
    public long Id { get; set; }
    public string Vin { get; set; } = "";
    public long SeriesModelId { get; set; }
    public string Platform { get; set; } = "";
    public LifecycleStatus LifecycleStatus { get; set; }
    public VehicleUsage Usage { get; set; }
    public bool Sold { get; set; }
    public bool Activated { get; set; }
    public bool PassengerCar { get; set; }
    public string FirmwareVersion { get; set; } = "";
    public string? ConfigWord { get; set; }
    /// <summary>Shared secret for the vehicle API's HMAC signature (SPEC §10), as stored: wrapped by the key service (SPEC §15).</summary>
    public string Secret { get; set; } = "";
    public UpdateClient UpdateClient { get; set; } = UpdateClient.Native;
    public DateTime UpdatedAt { get; set; }
}

/// <summary>ota_vehicle_blacklist; rows are soft-deleted.</summary>
public class BlacklistEntry
{
    public long Id { get; set; }
    public string Vin { get; set; } = "";
    public string? Reason { get; set; }
    public bool IsDelete { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}

/// <summary>ota_vehicle_whitelist of one of three types; rows are soft-deleted.</summary>
public class WhitelistEntry
{
    public long Id { get; set; }
    public string Vin { get; set; } = "";
    public WhitelistType Type { get; set; }
    public string? Reason { get; set; }
    public bool IsDelete { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DeletedAt { get; set; }
}
