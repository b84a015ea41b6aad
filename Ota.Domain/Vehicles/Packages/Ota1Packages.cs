namespace Ota.Domain.Vehicles.Packages;

/// <summary>Composes the OTA1 package description (SPEC §7, OTA1 rules 1–5).</summary>
public static class Ota1Packages
{
    /// <summary>
    /// Rule 1: the full package, or the delta when the strategy does not insist on a full package and a usable delta exists.
    /// Call this first to learn whether (and whose) wrapped key must be unwrapped before <see cref="Describe"/>.
    /// </summary>
    public static MainPackage SelectMain(Ota1PackageFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return MainOf(facts.Full, UsableDelta(facts));
    }

    /// <param name="packageKey">The main package's unwrapped symmetric key; required when the main package is encrypted.</param>
    public static PackageDescription Describe(Ota1PackageFacts facts, byte[]? packageKey)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var (request, full, strategy) = (facts.Request, facts.Full, facts.Strategy);
        var delta = UsableDelta(facts);
        var main = MainOf(full, delta);
        var mainEcus = delta?.Ecus ?? full.Ecus;

        return new PackageDescription
        {
            Vin = request.Vin,
            TaskId = request.TaskId,
            Generation = Generation.OTA1,
            PackageId = main.Id,
            PackageType = main.Type,
            FromVersion = request.CurrentVersion,
            TargetVersion = request.TargetVersion,
            CompareVersion = CompareVersion(strategy.VersionCompare, main.Type, request),
            Strategy = new StrategyReference(strategy.Id, strategy.Name, strategy.Source),
            // Rule 4: the texts live on the full package even when the delta is served.
            UpgradePrompt = full.UpgradePrompt,
            UpgradeResult = full.UpgradeResult,
            BaselineDescription = null,
            Encryption = DescriptionEncryption.For(main, packageKey),
            Ecus = SelectEcus(mainEcus, strategy, facts.IgnoredEcuCodes),
        };
    }

    /// <summary>Rule 2.</summary>
    public static bool CompareVersion(VersionCompare versionCompare, PackageType mainType, PackageRequest request) =>
        versionCompare switch
        {
            VersionCompare.Compare => true,
            VersionCompare.NoCompare => false,
            _ => mainType == PackageType.Full && request.CurrentDiffersFromTarget,
        };

    private static MainPackage MainOf(Ota1FullPackageFact full, Ota1DeltaPackageFact? delta) =>
        delta is not null
            ? new MainPackage(delta.Id, PackageType.Delta, delta.Encrypted)
            : new MainPackage(full.Id, PackageType.Full, full.Encrypted);

    private static Ota1DeltaPackageFact? UsableDelta(Ota1PackageFacts facts)
    {
        var delta = facts.Delta;
        if (delta is null || facts.Strategy.PackageType == StrategyPackageType.Full) return null;
        // A delta for other versions would brick the ECUs; a caller mistake must not reach the vehicle.
        if (FirmwareVersion.Compare(delta.FromVersion, facts.Request.CurrentVersion) != 0) return null;
        if (FirmwareVersion.Compare(delta.Version, facts.Request.TargetVersion) != 0) return null;
        // The full package's status is a validation rule (PKG_NOT_RELEASED); a delta that fails the same bar is simply not offered.
        var statusOk = delta.Status == PackageStatus.Released
            || (delta.Status == PackageStatus.Testing && !facts.Request.RequiresReleasedPackages);
        return statusOk ? delta : null;
    }

    /// <summary>Rule 5: ECUs the strategy gives an upgrade order, minus the config-word ignores, in upgrade order.</summary>
    private static IReadOnlyList<PackageDescriptionEcu> SelectEcus(
        IReadOnlyList<PackageEcuFact> packageEcus, ResolvedStrategy strategy, IReadOnlySet<string> ignored)
    {
        var orders = strategy.Ecus
            .Where(r => r.UpgradeOrder is not null)
            .GroupBy(r => r.EcuId)
            .ToDictionary(g => g.Key, g => g.Min(r => r.UpgradeOrder!.Value));

        var chosen = packageEcus
            .Where(e => orders.ContainsKey(e.EcuId) && !ignored.Contains(e.EcuCode))
            .Select(e => (e, (int?)orders[e.EcuId]));
        return DescriptionEcus.InUpgradeOrder(chosen);
    }
}
