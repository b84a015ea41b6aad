namespace Ota.Domain.Vehicles.Ddi;

/// <summary>
/// What the product keeps about a vehicle that speaks DDI (SPEC §14), one row per VIN: its target token (hashed), the
/// attributes it sent (configData), and the latest action it closed or said it had downloaded, so a poll stops offering an
/// action the moment the device ends it (the task-VIN itself moves a moment later, when the follow-up runs).
/// </summary>
public class DdiTarget
{
    public string Vin { get; set; } = "";
    /// <summary>Lower-case hex SHA-256 of the target token; null until one is issued.</summary>
    public string? TokenHash { get; set; }
    public DateTime? TokenIssuedAt { get; set; }
    /// <summary>The device's attributes as a JSON object of strings (configData), merged as hawkBit does.</summary>
    public string? ConfigData { get; set; }
    public DateTime? ConfigDataAt { get; set; }
    public long? ClosedTaskId { get; set; }
    public DateTime? ClosedAt { get; set; }
    public long? DownloadedTaskId { get; set; }
    public DateTime? DownloadedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
