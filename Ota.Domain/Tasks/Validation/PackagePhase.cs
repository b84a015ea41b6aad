namespace Ota.Domain.Tasks.Validation;

/// <summary>The package phase of SPEC §3: the target version, its package, and the package's baseline.</summary>
public static class PackagePhase
{
    public static TaskVerdict Check(TaskDefinition task, PackageFacts package)
    {
        var failures = new List<TaskFailure>();
        var subject = $"series-model {task.SeriesModelCode} version {task.TargetVersion}";

        // Without a generation there is no telling which package table to look in, so nothing else can be judged.
        if (task.TargetGeneration is not { } generation)
        {
            failures.Add(new(ReasonCodes.VersionInvalid, DescribeInvalidVersion(task.TargetVersion)));
            return TaskVerdict.Of(failures);
        }

        var packageName = generation == Generation.OTA1 ? "OTA1 full package" : "OTA2 package";
        if (!package.Exists)
        {
            // Baseline rules are about the package's baseline; with no package they have nothing to judge.
            failures.Add(new(ReasonCodes.PackageNotFound, $"No {packageName} exists for {subject}."));
            return TaskVerdict.Of(failures);
        }

        // SPEC puts the status rule on OTA1 only; OTA2 packages are released through their baseline.
        if (generation == Generation.OTA1 && task.IsFormal && package.Status != PackageStatus.Released)
        {
            failures.Add(new(ReasonCodes.PackageNotReleased,
                $"The {packageName} for {subject} is {package.Status?.ToString() ?? "of unknown status"}; " +
                $"{task.Type} tasks are formal and need it Released."));
        }

        if (generation == Generation.OTA2 && package.Baseline?.HasDescription != true)
        {
            failures.Add(new(ReasonCodes.BaselineDescriptionMissing, package.Baseline is null
                ? $"The {packageName} for {subject} is linked to no baseline, so it has no baseline description."
                : $"The baseline of the {packageName} for {subject} has no description."));
        }

        // Delivery puts software on vehicles about to reach customers, so it must be a formal baseline. OTA1 packages
        // link no baseline; the infrastructure passes the baseline recorded for the series-model and target version, and
        // when there is none the version is not known to be formal, so it is refused rather than assumed formal.
        if (task.Type == TaskType.Delivery && package.Baseline?.IsFormal != true)
        {
            failures.Add(new(ReasonCodes.BaselineNotFormal, package.Baseline is null
                ? $"No baseline is recorded for {subject}; Delivery tasks need a formal baseline."
                : $"The baseline for {subject} is not formal; Delivery tasks need a formal baseline."));
        }

        return TaskVerdict.Of(failures);
    }

    private static string DescribeInvalidVersion(string target)
    {
        if (!FirmwareVersion.TryParse(target, out var version))
            return $"Target version '{target}' is not a dotted numeric version A.G.B.";
        if (version.Segments.Count < 3)
            return $"Target version '{target}' has no generation segment; it must have the form A.G.B with G 1 (OTA1) or 2 (OTA2).";
        return $"Target version '{target}' names generation {version.Segments[1]}; only 1 (OTA1) and 2 (OTA2) are valid.";
    }
}
