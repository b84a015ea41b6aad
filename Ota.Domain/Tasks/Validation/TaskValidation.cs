namespace Ota.Domain.Tasks.Validation;

/// <summary>
/// The task-level phases of SPEC §3 together: package, strategy, then the VIN list. Verify, create, push and
/// compensation all call this with freshly gathered facts; any failure fails the whole task.
/// </summary>
public static class TaskValidation
{
    /// <param name="distinctVinCount">Well-formed distinct VINs of the list (<see cref="VinListIntake.DistinctCount"/>).</param>
    public static TaskVerdict Validate(TaskDefinition task, PackageFacts package, StrategyFacts strategies, int distinctVinCount) =>
        TaskVerdict.Combine(
            PackagePhase.Check(task, package),
            StrategyPhase.Check(task, strategies),
            CheckVinList(distinctVinCount));

    /// <summary>VIN_LIST_EMPTY when the list holds no well-formed VIN: an empty upload, or only malformed or blank entries.</summary>
    public static TaskVerdict CheckVinList(int distinctVinCount) => distinctVinCount > 0
        ? TaskVerdict.Valid
        : TaskVerdict.Of([new(ReasonCodes.VinListEmpty, "The VIN list holds no well-formed VIN.")]);
}
