namespace Ota.Infrastructure.Platform.Certificates;

/// <summary>
/// A client certificate the vehicle CA issued to a vehicle (table <c>ota_vehicle_certificate</c>): what a revocation
/// list names. The certificate and its key are not kept.
/// </summary>
public class VehicleCertificateRecord
{
    /// <summary>Upper-case hex, as <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> gives it.</summary>
    public string SerialNumber { get; set; } = "";

    public string Vin { get; set; } = "";

    public DateTime IssuedAt { get; set; }

    public DateTime NotAfter { get; set; }

    public DateTime? RevokedAt { get; set; }
}
