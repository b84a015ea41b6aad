namespace Ota.Infrastructure.Platform.Certificates;

/// <summary>
/// The vehicle CA as stored (table <c>ota_vehicle_ca</c>, one row): its certificate, and its private key wrapped by the
/// key service, so every app instance signs with the same CA and a database dump holds no usable key.
/// </summary>
public class VehicleCaRecord
{
    /// <summary>The one row's key: instances creating the CA at the same moment collide on it, and one CA wins.</summary>
    public const int TheOne = 1;

    public int Id { get; set; }

    public string CertificatePem { get; set; } = "";

    /// <summary>The PKCS#8 private key, wrapped (<c>kw1:…</c>).</summary>
    public string WrappedKey { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
