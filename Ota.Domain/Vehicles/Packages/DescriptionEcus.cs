namespace Ota.Domain.Vehicles.Packages;

/// <summary>Turns chosen package ECUs into the answer's ECU list, ordered as the vehicle must flash them.</summary>
internal static class DescriptionEcus
{
    /// <summary>By upgrade order (ECUs without one last), then by ECU code so equal orders always come out the same way.</summary>
    public static IReadOnlyList<PackageDescriptionEcu> InUpgradeOrder(IEnumerable<(PackageEcuFact Ecu, int? Order)> chosen) =>
        chosen
            .OrderBy(c => c.Order is null)
            .ThenBy(c => c.Order)
            .ThenBy(c => c.Ecu.EcuCode, StringComparer.Ordinal)
            .Select(c => new PackageDescriptionEcu(
                c.Ecu.EcuCode, c.Ecu.EcuName, c.Order, c.Ecu.Kind, c.Ecu.FileName, c.Ecu.FileSize,
                c.Ecu.Sha256, c.Ecu.Url, c.Ecu.FromVersion, c.Ecu.Version, c.Ecu.StoredFileId))
            .ToList();
}
