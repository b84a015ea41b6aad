namespace Ota.Domain.Tasks.Validation;

/// <summary>The vehicle phase of SPEC §3: whether one VIN may be sent a task, and every reason why not.</summary>
public static class VehicleEligibility
{
    /// <summary>
    /// The fleet-wide guards a Diagnostic task gives way on (SPEC §3): diagnostic tools are used by after-sales staff on
    /// a vehicle in front of them. The console names them before an Admin creates such a task.
    /// </summary>
    public const VinRejection SkippedByDiagnostic = VinRejection.Blacklisted | VinRejection.UsageMismatch | VinRejection.FirmwareUnknown
        | VinRejection.UpgradeInProgress | VinRejection.SameVersionNotWhitelisted;

    /// <summary>
    /// Judges one vehicle against a task. Allocates nothing: the infrastructure calls it for every VIN of a chunk.
    /// An unknown vehicle gets <see cref="VinRejection.VehicleNotFound"/> alone, since nothing else about it can be judged.
    /// The target version is assumed valid (the task-level phase reports VERSION_INVALID); if it is not, the version
    /// rules are skipped.
    /// </summary>
    public static VinRejection Evaluate(TaskDefinition task, in VehicleFacts vehicle)
    {
        if (!vehicle.Found) return VinRejection.VehicleNotFound;

        var rule = TaskTypeRules.For(task.Type);
        var rejection = VinRejection.None;

        if (vehicle.SeriesModelId != task.SeriesModelId) rejection |= VinRejection.SeriesModelMismatch;
        if (!string.Equals(vehicle.Platform ?? "", task.Platform, StringComparison.Ordinal)) rejection |= VinRejection.PlatformMismatch;
        if (!rule.LifecycleStatus.Allows(vehicle.LifecycleStatus)) rejection |= VinRejection.StatusNotAllowed;

        // The Forced whitelist lifts some of the fleet-wide guards; a Diagnostic task gives way on them (below).
        var firmwareKnown = IsKnownFirmware(vehicle.FirmwareVersion);
        if (vehicle.Blacklisted) rejection |= VinRejection.Blacklisted;
        if (!vehicle.OnForcedWhitelist)
        {
            if (!rule.Usage.Allows(vehicle.Usage, vehicle.Sold, vehicle.LifecycleStatus)) rejection |= VinRejection.UsageMismatch;
            if (!firmwareKnown) rejection |= VinRejection.FirmwareUnknown;
            if (IsUpgradeInProgress(vehicle)) rejection |= VinRejection.UpgradeInProgress;
        }

        // An unknown firmware gives nothing to compare with, whether or not FIRMWARE_UNKNOWN was reported.
        if (rule.ComparesVersions && firmwareKnown
            && FirmwareVersion.TryCompare(task.TargetVersion, vehicle.FirmwareVersion, out var targetVsFirmware))
        {
            if (targetVsFirmware == 0 && !vehicle.OnSameVersionWhitelist)
                rejection |= VinRejection.SameVersionNotWhitelisted;
            else if (targetVsFirmware < 0 && !vehicle.OnDowngradeWhitelist)
                rejection |= VinRejection.DowngradeNotWhitelisted;
        }

        if (vehicle.VariantSupportsConfigWord && string.IsNullOrWhiteSpace(vehicle.ConfigWord))
            rejection |= VinRejection.ConfigWordMissing;

        return task.Source == TaskSource.Diagnostic ? rejection & ~SkippedByDiagnostic : rejection;
    }

    /// <summary>
    /// A task-started upgrade that has not finished: the vehicle is busy with another task and must not be sent this one.
    /// Upgrades the user or after-sales diagnostics (Adi) started do not block.
    /// </summary>
    public static bool IsUpgradeInProgress(in VehicleFacts vehicle) =>
        vehicle.LatestTrigger is { } trigger && TaskTypeRules.IsTaskTrigger(trigger)
        && vehicle.LatestState is UpgradeState.WaitingForUpgrade or UpgradeState.Upgrading or UpgradeState.RollingBack;

    /// <summary>
    /// "0" and empty mean unknown (SPEC §2); so does a text that is not a dotted numeric version, since nothing can be
    /// compared with it either.
    /// </summary>
    public static bool IsKnownFirmware(string? firmware) =>
        FirmwareVersion.TryCompare(firmware, "0", out var versusZero) && versusZero != 0;
}
