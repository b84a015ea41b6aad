namespace Ota.Domain.Tasks.Validation;

/// <summary>
/// The usage/status matrix of SPEC §3 in one place: per task type, which vehicles it takes, which lifecycle statuses,
/// whether it is formal and whether versions are compared. Validation reads it and the console renders it.
/// </summary>
public static class TaskTypeRules
{
    // Indexed by (int)TaskType so the per-VIN lookup is an array read.
    private static readonly TaskTypeRule[] Rows =
    [
        new(TaskType.Test, IsFormal: false, TriggerType.TestTask,
            UsageRule.EngineeringOnly, LifecycleStatusRule.Any, ComparesVersions: true),
        new(TaskType.Normal, IsFormal: true, TriggerType.NormalTask,
            UsageRule.SoldProductionAndEngineering, LifecycleStatusRule.Any, ComparesVersions: true),
        new(TaskType.Forced, IsFormal: true, TriggerType.ForcedTask,
            UsageRule.SoldProductionAndEngineering, LifecycleStatusRule.Any, ComparesVersions: true),
        new(TaskType.Factory, IsFormal: true, TriggerType.FactoryTask,
            UsageRule.UndeliveredProduction,
            LifecycleStatusRule.OneOf(LifecycleStatus.FinalAssemblyOffline, LifecycleStatus.OkOffline, LifecycleStatus.CertificatePrinted),
            ComparesVersions: true),
        new(TaskType.Sampling, IsFormal: true, TriggerType.SamplingTask,
            UsageRule.UndeliveredProduction, LifecycleStatusRule.Any, ComparesVersions: false),
        new(TaskType.Delivery, IsFormal: true, TriggerType.DeliveryTask,
            UsageRule.UndeliveredProduction, LifecycleStatusRule.AtMost(LifecycleStatus.CertificatePrinted), ComparesVersions: true),
    ];

    // Bit per TriggerType that some task type reports; Adi and User upgrades are not tasks of ours.
    private static readonly int TaskTriggerMask = Rows.Aggregate(0, (mask, row) => mask | (1 << (int)row.Trigger));

    /// <summary>Rules that hold across task types; shown under the matrix so operators see every exception.</summary>
    public static IReadOnlyList<string> Exceptions { get; } =
    [
        "Every task: the vehicle's series-model and platform must equal the task's.",
        "Tasks from the Diagnostic source skip the blacklist, usage, firmware, upgrade-in-progress and same-version checks.",
        "VINs on the Forced whitelist skip the usage, firmware and upgrade-in-progress checks.",
        "A VIN whose latest upgrade, started by a task, is still WaitingForUpgrade, Upgrading or RollingBack is not sent another task.",
        "A target equal to the vehicle's firmware needs the SameVersion whitelist; a lower target needs the Downgrade whitelist.",
        "Sampling tasks install the full package with no version comparison, so neither version whitelist applies.",
        "A vehicle whose variant supports config words must have one.",
    ];

    public static IReadOnlyList<TaskTypeRule> All => Rows;

    public static TaskTypeRule For(TaskType type) => Rows[(int)type];

    /// <summary>Whether an upgrade with this trigger was started by a task (rather than by after-sales diagnostics or the user).</summary>
    public static bool IsTaskTrigger(TriggerType trigger) => (TaskTriggerMask & (1 << (int)trigger)) != 0;

    /// <summary>The matrix as rows of plain text, one per task type, for the console and exports.</summary>
    public static IReadOnlyList<TaskTypeRuleText> Describe() => Rows.Select(row => new TaskTypeRuleText(
        TaskType: row.Type.ToString(),
        Formal: row.IsFormal ? "formal" : "not formal",
        Vehicles: row.Usage.Description,
        LifecycleStatus: row.LifecycleStatus.Description,
        Versions: row.ComparesVersions
            ? "compared with the vehicle's firmware"
            : "not compared (full package)",
        Trigger: row.Trigger.ToString())).ToArray();
}

/// <summary>A row of the task-type matrix in words.</summary>
public sealed record TaskTypeRuleText(
    string TaskType, string Formal, string Vehicles, string LifecycleStatus, string Versions, string Trigger)
{
    public static IReadOnlyList<string> Headers { get; } =
        ["Task type", "Formal", "Vehicles taken", "Lifecycle status", "Versions", "Reported trigger"];

    public IReadOnlyList<string> Cells => [TaskType, Formal, Vehicles, LifecycleStatus, Versions, Trigger];

    public override string ToString() =>
        $"{TaskType} ({Formal}): {Vehicles}; lifecycle status {LifecycleStatus}; versions {Versions}; reported as {Trigger}.";
}
