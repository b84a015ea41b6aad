namespace Ota.Infrastructure.Platform.Documents;

/// <summary>
/// The VIN of a package-description snapshot, kept by MariaDB as a virtual column of ota_document (read from the
/// JSON) and indexed, so a vehicle's timeline finds the descriptions it was served without scanning them all.
/// </summary>
public static class StoredDocumentVin
{
    /// <summary>The shadow property (and column) name.</summary>
    public const string Property = "vin";

    internal const string Sql = "json_unquote(json_value(`json`, '$.vin'))";
}
