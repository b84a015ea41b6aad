using Ota.Domain;

namespace Ota.Infrastructure.Fleet;

/// <summary>A validated vehicle ready to be written; <see cref="Secret"/> null keeps (or generates) the stored secret.</summary>
public sealed record VehicleRow(
    string Vin, long SeriesModelId, string Platform, LifecycleStatus LifecycleStatus, VehicleUsage Usage,
    bool Sold, bool Activated, bool PassengerCar, string FirmwareVersion, string? ConfigWord, string? Secret);
