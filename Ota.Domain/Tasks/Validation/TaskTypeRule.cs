namespace Ota.Domain.Tasks.Validation;

/// <summary>One row of <see cref="TaskTypeRules"/>: what a task type asks of its package and vehicles.</summary>
/// <param name="Trigger">The trigger type vehicles report for upgrades of this task type.</param>
/// <param name="ComparesVersions">
/// False for Sampling: it installs the full package whatever the vehicle runs, so neither the same-version nor the
/// downgrade whitelist applies.
/// </param>
public sealed record TaskTypeRule(
    TaskType Type,
    bool IsFormal,
    TriggerType Trigger,
    UsageRule Usage,
    LifecycleStatusRule LifecycleStatus,
    bool ComparesVersions);
