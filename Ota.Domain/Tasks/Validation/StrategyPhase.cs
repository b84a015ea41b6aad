namespace Ota.Domain.Tasks.Validation;

/// <summary>The strategy phase of SPEC §3: the series-model's strategies are complete enough to upgrade with.</summary>
public static class StrategyPhase
{
    public static TaskVerdict Check(TaskDefinition task, StrategyFacts strategies)
    {
        var failures = new List<TaskFailure>();

        // Sampling tasks need it too: their own strategy is built on the default one.
        if (!strategies.HasDefault)
            failures.Add(new(ReasonCodes.StrategyDefaultMissing, $"Series-model {task.SeriesModelCode} has no default upgrade strategy."));

        // Every strategy, not only the default: a vehicle may be served by any of them, and a null order leaves the
        // vehicle not knowing when to flash that ECU.
        var incomplete = new List<string>();
        foreach (var strategy in strategies.Strategies)
        {
            if (strategy.EcusWithoutOrder.Count > 0)
                incomplete.Add($"strategy '{strategy.Name}' (id {strategy.Id}): {string.Join(", ", strategy.EcusWithoutOrder)}");
        }
        if (incomplete.Count > 0)
        {
            failures.Add(new(ReasonCodes.StrategyEcuOrderMissing,
                $"ECUs without an upgrade order in {string.Join("; ", incomplete)}."));
        }

        return TaskVerdict.Of(failures);
    }
}
