using Ota.Domain;

namespace Ota.Infrastructure.Fleet;

/// <summary>
/// A validated vehicle ready to be written; <see cref="Secret"/> null keeps (or generates) the stored secret,
/// <see cref="UpdateClient"/> null keeps the stored one (Native for a new vehicle).
/// </summary>
public sealed record VehicleRow(
    string Vin, long SeriesModelId, string Platform, LifecycleStatus LifecycleStatus, VehicleUsage Usage,
    bool Sold, bool Activated, bool PassengerCar, string FirmwareVersion, string? ConfigWord, string? Secret,
    UpdateClient? UpdateClient = null);
