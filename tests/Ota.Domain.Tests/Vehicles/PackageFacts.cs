using Ota.Domain.Vehicles.Packages;

namespace Ota.Domain.Tests.Vehicles;

/// <summary>Small catalog facts for the package tests: ECUs CDC (1), BMS (2), ADCU (3), TBOX (4).</summary>
internal static class Catalog
{
    public const string TestVin = "LSVAB1234CD567890";

    public static PackageEcuFact Ecu(long ecuId, string code, string version = "3.1.5", string? fromVersion = null,
        EcuPackageKind kind = EcuPackageKind.Ecu) =>
        new(ecuId, code, $"{code} controller", kind,
            $"{code.ToLowerInvariant()}-{fromVersion ?? "full"}-{version}.bin", 1_000 + ecuId,
            new string((char)('a' + ecuId), 64), $"https://files.example/{code}-{version}.bin", fromVersion, version);

    public static StrategyEcuRelationFact Relation(long ecuId, string code, int? order, bool isUpgrade = true) =>
        new(ecuId, code, order, isUpgrade);

    public static StrategyFact Strategy(long id, StrategyPackageType packageType = StrategyPackageType.Auto,
        VersionCompare compare = VersionCompare.Auto, params StrategyEcuRelationFact[] ecus) =>
        new(id, $"strategy {id}", packageType, compare,
            ecus.Length > 0 ? ecus : [Relation(1, "CDC", 1), Relation(2, "BMS", 2)]);

    public static ResolvedStrategy Resolved(StrategyPackageType packageType = StrategyPackageType.Auto,
        VersionCompare compare = VersionCompare.Auto, StrategySource source = StrategySource.SeriesModelDefault,
        params StrategyEcuRelationFact[] ecus)
    {
        var row = Strategy(7, packageType, compare, ecus);
        return new ResolvedStrategy(source == StrategySource.Task ? null : row.Id, row.Name, source,
            packageType, compare, row.Ecus, row.Id);
    }

    public static PackageRequest Request(string current = "3.1.4", string target = "3.1.5", TaskType taskType = TaskType.Normal) =>
        new(TestVin, 42, taskType, current, target);

    public static Ota1FullPackageFact Full(bool encrypted = false, params PackageEcuFact[] ecus) =>
        new(100, "3.1.5", PackageStatus.Released, encrypted, "Update takes 20 minutes.", "Update installed.",
            ecus.Length > 0 ? ecus : [Ecu(1, "CDC"), Ecu(2, "BMS")]);

    public static Ota1DeltaPackageFact Delta(PackageStatus status = PackageStatus.Released, string from = "3.1.4",
        string version = "3.1.5", bool encrypted = false) =>
        new(200, from, version, status, encrypted, [Ecu(1, "CDC", fromVersion: from), Ecu(2, "BMS")]);

    public static Ota1PackageFacts Ota1(ResolvedStrategy? strategy = null, Ota1FullPackageFact? full = null,
        Ota1DeltaPackageFact? delta = null, PackageRequest? request = null, IReadOnlySet<string>? ignored = null) =>
        new(request ?? Request(), full ?? Full(), delta, strategy ?? Resolved(), ignored ?? new HashSet<string>());
}
