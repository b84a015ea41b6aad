using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ota.Infrastructure.Platform.Certificates;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>A CA that is not the product's, with the same kind of certificates: what an impostor (vehicle or broker) holds.</summary>
internal sealed class ForeignCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ForeignCa()
    {
        var request = new CertificateRequest("CN=OTA vehicle CA impostor", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    public X509Certificate2 Certificate { get; }

    public IssuedCertificate Issue(string commonName, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        using var certificate = request.Create(Certificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(12));
        return new IssuedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), commonName, certificate.SerialNumber,
            certificate.NotAfter);
    }

    /// <summary>An empty revocation list of this CA (a broker checking revocations needs one of each CA it trusts).</summary>
    public string RevocationListPem() => PemEncoding.WriteString("X509 CRL", new CertificateRevocationListBuilder()
        .Build(Certificate, 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256)) + "\n";

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
