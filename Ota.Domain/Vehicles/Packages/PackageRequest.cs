namespace Ota.Domain.Vehicles.Packages;

/// <summary>What the vehicle asked for, after the caller has found the task (or chosen Normal when there is none).</summary>
/// <param name="Vin">The normalised VIN.</param>
/// <param name="TaskId">The task serving the vehicle; null when the vehicle is served without a task.</param>
/// <param name="TaskType">The task's type; <see cref="Ota.Domain.TaskType.Normal"/> when there is no task (SPEC §7).</param>
public sealed record PackageRequest(string Vin, long? TaskId, TaskType TaskType, string CurrentVersion, string TargetVersion)
{
    /// <summary>Formal tasks (every type but Test) take only released packages.</summary>
    public bool RequiresReleasedPackages => TaskType != TaskType.Test;

    public bool CurrentDiffersFromTarget => FirmwareVersion.Compare(CurrentVersion, TargetVersion) != 0;
}
