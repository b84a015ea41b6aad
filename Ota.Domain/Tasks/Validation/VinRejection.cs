namespace Ota.Domain.Tasks.Validation;

/// <summary>
/// Why a VIN is not sent, as a bit set: a million verdicts cost a million ints and no allocations.
/// Bits are declared in the order codes are listed, the order of SPEC §3; <see cref="VinRejectionCodes"/> maps them to reason codes.
/// </summary>
[Flags]
public enum VinRejection
{
    None = 0,
    /// <summary>Set by <see cref="VinListIntake"/>, never by <see cref="VehicleEligibility"/>.</summary>
    Malformed = 1 << 0,
    /// <summary>Set by <see cref="VinListIntake"/>, never by <see cref="VehicleEligibility"/>.</summary>
    Duplicate = 1 << 1,
    VehicleNotFound = 1 << 2,
    SeriesModelMismatch = 1 << 3,
    PlatformMismatch = 1 << 4,
    StatusNotAllowed = 1 << 5,
    Blacklisted = 1 << 6,
    UsageMismatch = 1 << 7,
    FirmwareUnknown = 1 << 8,
    UpgradeInProgress = 1 << 9,
    SameVersionNotWhitelisted = 1 << 10,
    DowngradeNotWhitelisted = 1 << 11,
    ConfigWordMissing = 1 << 12,
}
