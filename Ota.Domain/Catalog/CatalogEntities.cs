namespace Ota.Domain.Catalog;

// Reference data of the catalog (SPEC §2, §11). Imported and upserted by natural keys, edited in the console.

/// <summary>A vehicle series + model (+ platform): 车系车型.</summary>
public class SeriesModel
{
    public long Id { get; set; }
    public string Code { get; set; } = "";
    public string Series { get; set; } = "";
    public string Model { get; set; } = "";
    public string Platform { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>Base ECU information (ota_base_ecu).</summary>
public class BaseEcu
{
    public long Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>A released software baseline of a series-model (ota_baseline).</summary>
public class Baseline
{
    public long Id { get; set; }
    public long SeriesModelId { get; set; }
    public string Version { get; set; } = "";
    public bool IsFormal { get; set; }
}

/// <summary>The description of a baseline (ota_baseline_description); OTA2 tasks require a non-empty one.</summary>
public class BaselineDescription
{
    public long Id { get; set; }
    public long BaselineId { get; set; }
    public string Description { get; set; } = "";
}

/// <summary>A full ECU package file (ota_package_ecu_full).</summary>
public class EcuFullPackage
{
    public long Id { get; set; }
    public string Key { get; set; } = "";
    public long EcuId { get; set; }
    public string Version { get; set; } = "";
    public EcuPackageKind Kind { get; set; }
    public string FileName { get; set; } = "";
    public long FileSize { get; set; }
    public string Sha256 { get; set; } = "";
    public string Url { get; set; } = "";
}

/// <summary>A delta ECU package file from one version to another (ota_package_ecu_delta).</summary>
public class EcuDeltaPackage
{
    public long Id { get; set; }
    public string Key { get; set; } = "";
    public long EcuId { get; set; }
    public string FromVersion { get; set; } = "";
    public string Version { get; set; } = "";
    public EcuPackageKind Kind { get; set; }
    public string FileName { get; set; } = "";
    public long FileSize { get; set; }
    public string Sha256 { get; set; } = "";
    public string Url { get; set; } = "";
}

/// <summary>Fields shared by the vehicle-level ("total") packages of both generations.</summary>
public abstract class VehiclePackageBase
{
    public long Id { get; set; }
    public long SeriesModelId { get; set; }
    public string Version { get; set; } = "";
    public PackageStatus Status { get; set; }
    public bool Encrypted { get; set; }
    /// <summary>The package's symmetric key, wrapped by the key service. Never stored in clear.</summary>
    public string? WrappedKey { get; set; }
    public string UpgradePrompt { get; set; } = "";
    public string UpgradeResult { get; set; } = "";
    public DateTime CreatedAt { get; set; }
}

/// <summary>OTA1 full ("total") package for (series-model, version): ota_package_total_full.</summary>
public class TotalFullPackage : VehiclePackageBase
{
}

/// <summary>OTA1 delta package from one version to another: ota_package_total_delta.</summary>
public class TotalDeltaPackage : VehiclePackageBase
{
    public string FromVersion { get; set; } = "";
}

/// <summary>An ECU of an OTA1 full package (ota_package_total_full_ecu).</summary>
public class TotalFullPackageEcu
{
    public long Id { get; set; }
    public long PackageId { get; set; }
    public long EcuId { get; set; }
    public long EcuFullPackageId { get; set; }
}

/// <summary>An ECU of an OTA1 delta package (ota_package_total_delta_ecu): a delta ECU package, or a full one for an ECU that has no delta.</summary>
public class TotalDeltaPackageEcu
{
    public long Id { get; set; }
    public long PackageId { get; set; }
    public long EcuId { get; set; }
    public long? EcuDeltaPackageId { get; set; }
    public long? EcuFullPackageId { get; set; }
}

/// <summary>OTA2 package (ota_package), linked to a baseline.</summary>
public class Ota2Package : VehiclePackageBase
{
    public PackageType PackageType { get; set; }
    public string? FromVersion { get; set; }
    public long? BaselineId { get; set; }
}

/// <summary>An ECU item of an OTA2 package (ota_package_ecu).</summary>
public class Ota2PackageEcu
{
    public long Id { get; set; }
    public long PackageId { get; set; }
    public long EcuId { get; set; }
    public long? EcuDeltaPackageId { get; set; }
    public long? EcuFullPackageId { get; set; }
}
