namespace Ota.Domain.Vehicles.Packages;

/// <summary>
/// An ECU of a vehicle-level package joined with its ECU package file (ota_package_ecu_full / ota_package_ecu_delta)
/// and base ECU info (ota_base_ecu).
/// </summary>
/// <param name="FromVersion">Set for a delta ECU package; null for a full one.</param>
/// <param name="StoredFileId">The package's stored file (SPEC §13), when it has one: its URL is then a link made per vehicle.</param>
public sealed record PackageEcuFact(
    long EcuId,
    string EcuCode,
    string EcuName,
    EcuPackageKind Kind,
    string FileName,
    long FileSize,
    string Sha256,
    string Url,
    string? FromVersion,
    string Version,
    long? StoredFileId = null);

/// <summary>OTA1 full package for (series-model, target version): ota_package_total_full with its ECUs.</summary>
public sealed record Ota1FullPackageFact(
    long Id,
    string Version,
    PackageStatus Status,
    bool Encrypted,
    string UpgradePrompt,
    string UpgradeResult,
    IReadOnlyList<PackageEcuFact> Ecus);

/// <summary>OTA1 delta package from the vehicle's current version to the target: ota_package_total_delta with its ECUs (delta or full ECU packages).</summary>
public sealed record Ota1DeltaPackageFact(
    long Id,
    string FromVersion,
    string Version,
    PackageStatus Status,
    bool Encrypted,
    IReadOnlyList<PackageEcuFact> Ecus);

/// <summary>OTA2 package (ota_package) with its ECU items and its baseline's description.</summary>
public sealed record Ota2PackageFact(
    long Id,
    PackageType PackageType,
    string? FromVersion,
    string Version,
    PackageStatus Status,
    bool Encrypted,
    string UpgradePrompt,
    string UpgradeResult,
    string? BaselineDescription,
    IReadOnlyList<PackageEcuFact> Ecus);

/// <summary>The package whose files the vehicle downloads; its wrapped key (when encrypted) is the one to unwrap.</summary>
public sealed record MainPackage(long Id, PackageType Type, bool Encrypted);
