using System.Security.Cryptography.X509Certificates;

namespace Ota.Infrastructure.Platform.Certificates;

/// <summary>A certificate issued by the vehicle CA and its new private key (PKCS#8), both PEM; the key is never stored by the product.</summary>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem, string Subject, string SerialNumber, DateTimeOffset NotAfter)
{
    /// <summary>The certificate with its private key, as a TLS client or server presents it.</summary>
    public X509Certificate2 Load() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);

    public override string ToString() => $"{nameof(IssuedCertificate)} {{ Subject = {Subject}, SerialNumber = {SerialNumber}, NotAfter = {NotAfter:O} }}";
}
