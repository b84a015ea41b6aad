namespace Ota.Domain.Vehicles.Packages;

/// <summary>Composes the OTA2 package description (SPEC §7, OTA2).</summary>
public static class Ota2Packages
{
    /// <summary>
    /// The OTA2 package types to look up for a strategy, in order of preference: as for OTA1, a delta is preferred
    /// unless the strategy asks for a full package, and the full package is the fallback.
    /// </summary>
    public static IReadOnlyList<PackageType> PackageTypesToTry(StrategyPackageType strategyPackageType) =>
        strategyPackageType == StrategyPackageType.Full
            ? [PackageType.Full]
            : [PackageType.Delta, PackageType.Full];

    /// <param name="packageKey">The package's unwrapped symmetric key; required when the package is encrypted.</param>
    public static PackageDescription Describe(
        PackageRequest request, Ota2PackageFact package, ResolvedStrategy strategy, byte[]? packageKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(package);
        ArgumentNullException.ThrowIfNull(strategy);

        return new PackageDescription
        {
            Vin = request.Vin,
            TaskId = request.TaskId,
            Generation = Generation.OTA2,
            PackageId = package.Id,
            PackageType = package.PackageType,
            FromVersion = request.CurrentVersion,
            TargetVersion = request.TargetVersion,
            CompareVersion = CompareVersion(request, package.PackageType, strategy),
            Strategy = new StrategyReference(strategy.Id, strategy.Name, strategy.Source),
            UpgradePrompt = package.UpgradePrompt,
            UpgradeResult = package.UpgradeResult,
            BaselineDescription = package.BaselineDescription,
            Encryption = DescriptionEncryption.For(new MainPackage(package.Id, package.PackageType, package.Encrypted), packageKey),
            Ecus = SelectEcus(package.Ecus, strategy),
        };
    }

    /// <summary>
    /// A full package and current ≠ target. A task's own strategy (Sampling: "versions are not compared", SPEC §3)
    /// still wins when it says Compare or NoCompare explicitly.
    /// </summary>
    public static bool CompareVersion(PackageRequest request, PackageType packageType, ResolvedStrategy strategy) =>
        (strategy.Source, strategy.VersionCompare) switch
        {
            (StrategySource.Task, VersionCompare.NoCompare) => false,
            (StrategySource.Task, VersionCompare.Compare) => true,
            _ => packageType == PackageType.Full && request.CurrentDiffersFromTarget,
        };

    /// <summary>ECU items kept only where the strategy relation says is_upgrade.</summary>
    private static IReadOnlyList<PackageDescriptionEcu> SelectEcus(IReadOnlyList<PackageEcuFact> packageEcus, ResolvedStrategy strategy)
    {
        var upgraded = strategy.Ecus
            .Where(r => r.IsUpgrade)
            .GroupBy(r => r.EcuId)
            .ToDictionary(g => g.Key, g => g.Min(r => r.UpgradeOrder));

        var chosen = packageEcus
            .Where(e => upgraded.ContainsKey(e.EcuId))
            .Select(e => (e, upgraded[e.EcuId]));
        return DescriptionEcus.InUpgradeOrder(chosen);
    }
}
