namespace Ota.Domain.Tasks.Validation;

/// <summary>What validation needs to know about a task: the same facts whether it comes from the console, the open API or the database.</summary>
/// <param name="SeriesModelCode">The catalog code, used only to word the details of task-level failures.</param>
/// <param name="TargetVersion">As entered; <see cref="TargetGeneration"/> says whether it names OTA1 or OTA2.</param>
public sealed record TaskDefinition(
    TaskType Type,
    TaskSource Source,
    long SeriesModelId,
    string SeriesModelCode,
    string Platform,
    string TargetVersion)
{
    /// <summary>OTA1 or OTA2 by the target's middle segment; null when the target is not a valid version (VERSION_INVALID).</summary>
    public Generation? TargetGeneration =>
        FirmwareVersion.TryParse(TargetVersion, out var version) ? version.Generation : null;

    /// <summary>All types but Test are formal.</summary>
    public bool IsFormal => TaskTypeRules.For(Type).IsFormal;
}
