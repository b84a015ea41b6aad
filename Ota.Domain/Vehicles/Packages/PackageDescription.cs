namespace Ota.Domain.Vehicles.Packages;

/// <summary>
/// The upgrade-package description served to a vehicle (SPEC §7 package-info answer), field for field.
/// <see cref="DescriptionId"/> is the document-store snapshot id, set by the caller with <c>with</c> once stored.
/// </summary>
public sealed record PackageDescription
{
    public string? DescriptionId { get; init; }
    public required string Vin { get; init; }
    public long? TaskId { get; init; }
    public required Generation Generation { get; init; }
    public required long PackageId { get; init; }
    public required PackageType PackageType { get; init; }
    /// <summary>The vehicle's current version, the one the upgrade starts from.</summary>
    public required string FromVersion { get; init; }
    public required string TargetVersion { get; init; }
    public required bool CompareVersion { get; init; }
    public required StrategyReference Strategy { get; init; }
    public required string UpgradePrompt { get; init; }
    public required string UpgradeResult { get; init; }
    public string? BaselineDescription { get; init; }
    public PackageEncryption? Encryption { get; init; }
    public required IReadOnlyList<PackageDescriptionEcu> Ecus { get; init; }
}

/// <param name="Id">Null for a task's own strategy, which has no strategy row.</param>
public sealed record StrategyReference(long? Id, string Name, StrategySource Source);

/// <summary>One ECU to upgrade, in upgrade order.</summary>
/// <param name="FromVersion">The version a delta ECU package applies to; null for a full ECU package.</param>
/// <param name="StoredFileId">Not sent: the stored file whose per-vehicle link replaces <paramref name="Url"/> before the answer leaves.</param>
public sealed record PackageDescriptionEcu(
    string EcuCode,
    string EcuName,
    int? Order,
    EcuPackageKind PackageKind,
    string FileName,
    long FileSize,
    string Sha256,
    string Url,
    string? FromVersion,
    string Version,
    [property: System.Text.Json.Serialization.JsonIgnore] long? StoredFileId = null);
