namespace Ota.Domain.Tasks.Validation;

/// <summary>The upgrade strategies of a task's series-model (ota_upgrade_strategy_veh_relation), gathered by the infrastructure.</summary>
/// <param name="DefaultStrategyId">The series-model's default strategy; null when it has none.</param>
/// <param name="Strategies">Every strategy of the series-model, default included.</param>
public sealed record StrategyFacts(long? DefaultStrategyId, IReadOnlyList<StrategyOrderFacts> Strategies)
{
    public bool HasDefault => DefaultStrategyId is not null;
}

/// <summary>One strategy and the codes of its ECUs whose upgrade order is null (ota_upgrade_strategy_ecu_relation).</summary>
public sealed record StrategyOrderFacts(long Id, string Name, IReadOnlyList<string> EcusWithoutOrder);
