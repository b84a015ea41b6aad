using Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

/// <summary>Plain facts that pass every rule, so each test changes the one fact its rule is about.</summary>
internal static class Given
{
    public const long SeriesModelId = 7;
    public const string SeriesModelCode = "S1-M1";
    public const string Platform = "P1";
    public const string Target = "3.1.5";

    public static TaskDefinition Task(
        TaskType type = TaskType.Normal, TaskSource source = TaskSource.Console, string target = Target) =>
        new(type, source, SeriesModelId, SeriesModelCode, Platform, target);

    /// <summary>A vehicle every rule accepts for a task of the given type, one version behind the target.</summary>
    public static VehicleFacts EligibleVehicle(TaskType type = TaskType.Normal)
    {
        var vehicle = new VehicleFacts
        {
            Found = true,
            SeriesModelId = SeriesModelId,
            Platform = Platform,
            FirmwareVersion = "3.1.4",
            ConfigWord = "CW-STD",
            VariantSupportsConfigWord = true,
            LatestTrigger = TriggerType.NormalTask,
            LatestState = UpgradeState.Succeeded,
        };
        return type switch
        {
            TaskType.Test => vehicle with { Usage = VehicleUsage.Engineering, LifecycleStatus = LifecycleStatus.InStock },
            TaskType.Normal or TaskType.Forced =>
                vehicle with { Usage = VehicleUsage.Production, Sold = true, LifecycleStatus = LifecycleStatus.Delivered },
            TaskType.Factory or TaskType.Delivery =>
                vehicle with { Usage = VehicleUsage.Production, LifecycleStatus = LifecycleStatus.OkOffline },
            TaskType.Sampling => vehicle with { Usage = VehicleUsage.Production, LifecycleStatus = LifecycleStatus.InStock },
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    public static PackageFacts ReleasedPackage(bool formalBaseline = true, string? description = "Fixes and improvements") =>
        PackageFacts.Found(PackageStatus.Released, new BaselineFacts(formalBaseline, description));

    public static StrategyFacts CompleteStrategies() =>
        new(11, [new StrategyOrderFacts(11, "S1-M1 standard", []), new StrategyOrderFacts(12, "S1-M1 quick", [])]);
}
