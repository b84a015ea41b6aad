namespace Ota.Infrastructure.Catalog.Files;

/// <summary>An ECU package (full or delta) as an upload sees it: what the catalog expects of its file.</summary>
/// <param name="FullId">Its id in ota_package_ecu_full, when it is a full ECU package.</param>
/// <param name="DeltaId">Its id in ota_package_ecu_delta, when it is a delta.</param>
public sealed record EcuPackageRef(string Key, long? FullId, long? DeltaId, string FileName, long FileSize, string Sha256);
