namespace Ota.Domain;

/// <summary>The stable reason codes of SPEC §3, as they appear in API answers, exports and the console.</summary>
public static class ReasonCodes
{
    // Package phase (task level)
    public const string PackageNotFound = "PKG_NOT_FOUND";
    public const string PackageNotReleased = "PKG_NOT_RELEASED";
    public const string BaselineDescriptionMissing = "BASELINE_DESC_MISSING";
    public const string BaselineNotFormal = "BASELINE_NOT_FORMAL";
    public const string VersionInvalid = "VERSION_INVALID";

    // Strategy phase (task level)
    public const string StrategyDefaultMissing = "STRATEGY_DEFAULT_MISSING";
    public const string StrategyEcuOrderMissing = "STRATEGY_ECU_ORDER_MISSING";

    // Vehicle phase
    public const string VinListEmpty = "VIN_LIST_EMPTY";
    public const string VinDuplicate = "VIN_DUPLICATE";
    public const string VinMalformed = "VIN_MALFORMED";
    public const string VehicleNotFound = "VEHICLE_NOT_FOUND";
    public const string SeriesModelMismatch = "SERIES_MODEL_MISMATCH";
    public const string PlatformMismatch = "PLATFORM_MISMATCH";
    public const string StatusNotAllowed = "STATUS_NOT_ALLOWED";
    public const string Blacklisted = "BLACKLISTED";
    public const string UsageMismatch = "USAGE_MISMATCH";
    public const string FirmwareUnknown = "FIRMWARE_UNKNOWN";
    public const string UpgradeInProgress = "UPGRADE_IN_PROGRESS";
    public const string SameVersionNotWhitelisted = "SAME_VERSION_NOT_WHITELISTED";
    public const string DowngradeNotWhitelisted = "DOWNGRADE_NOT_WHITELISTED";
    public const string ConfigWordMissing = "CONFIG_WORD_MISSING";

    /// <summary>The codes that fail a whole task (answered 422 by the open API), in the order the phases check them.</summary>
    public static IReadOnlyList<string> TaskLevel { get; } =
    [
        PackageNotFound, PackageNotReleased, BaselineDescriptionMissing, BaselineNotFormal, VersionInvalid,
        StrategyDefaultMissing, StrategyEcuOrderMissing, VinListEmpty,
    ];

    /// <summary>The codes that reject one vehicle (a VIN of a task, or a vehicle asking for its package).</summary>
    public static IReadOnlyList<string> VehicleLevel { get; } =
    [
        VinDuplicate, VinMalformed, VehicleNotFound, SeriesModelMismatch, PlatformMismatch, StatusNotAllowed, Blacklisted, UsageMismatch,
        FirmwareUnknown, UpgradeInProgress, SameVersionNotWhitelisted, DowngradeNotWhitelisted, ConfigWordMissing,
    ];
}
