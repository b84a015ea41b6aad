namespace Ota.Domain.Tasks.Validation;

/// <summary>Which vehicles a task type takes by usage (USAGE_MISMATCH otherwise), with words for operators.</summary>
public sealed class UsageRule
{
    private UsageRule(bool engineering, bool soldProduction, bool undeliveredProduction, string description)
    {
        TakesEngineering = engineering;
        TakesSoldProduction = soldProduction;
        TakesUndeliveredProduction = undeliveredProduction;
        Description = description;
    }

    /// <summary>Test tasks: the engineering (test) fleet only.</summary>
    public static UsageRule EngineeringOnly { get; } =
        new(true, false, false, "Engineering vehicles");

    /// <summary>Normal and Forced tasks: customers' vehicles once sold, and the engineering fleet.</summary>
    public static UsageRule SoldProductionAndEngineering { get; } =
        new(true, true, false, "Production vehicles that are sold, and Engineering vehicles");

    /// <summary>Factory, Sampling and Delivery tasks: production vehicles still in the plant's or the sales network's hands.</summary>
    public static UsageRule UndeliveredProduction { get; } =
        new(false, false, true, "Production vehicles not yet Delivered");

    public bool TakesEngineering { get; }
    public bool TakesSoldProduction { get; }
    public bool TakesUndeliveredProduction { get; }
    public string Description { get; }

    public bool Allows(VehicleUsage usage, bool sold, LifecycleStatus status) => usage switch
    {
        VehicleUsage.Engineering => TakesEngineering,
        VehicleUsage.Production => (TakesSoldProduction && sold) || (TakesUndeliveredProduction && status != LifecycleStatus.Delivered),
        _ => false,
    };

    public override string ToString() => Description;
}
