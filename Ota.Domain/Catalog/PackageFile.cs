namespace Ota.Domain.Catalog;

/// <summary>
/// The stored file of an ECU package (ota_package_file, SPEC §13), found by the ECU package's key. Written once per
/// upload: a replacement is a new row under a new storage key, so a link to the old file stops working.
/// </summary>
public class PackageFile
{
    public long Id { get; set; }
    /// <summary>The ECU package's key (ota_package_ecu_full or ota_package_ecu_delta).</summary>
    public string PackageKey { get; set; } = "";
    /// <summary>The object's key in the file store.</summary>
    public string StorageKey { get; set; } = "";
    /// <summary>The name the file was uploaded with; downloads are offered under the catalog's file name.</summary>
    public string UploadedName { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public string Sha1 { get; set; } = "";
    public string Md5 { get; set; } = "";
    public DateTime UploadedAt { get; set; }
    public string UploadedBy { get; set; } = "";
}
