using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The certificates of a TLS connection to a broker: the client certificate presented (with its key; null presents none)
/// and the CA certificates the broker's certificate must chain to (null trusts the system's store).
/// </summary>
public sealed record BrokerTls(X509Certificate2? ClientCertificate, X509Certificate2Collection? TrustedCertificates)
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Whether the broker's certificate names the host connected to, is meant for a server, and chains to one of
    /// <paramref name="trusted"/> alone (not to the system's roots).
    /// </summary>
    internal static bool Accepts(MqttClientCertificateValidationEventArgs e, X509Certificate2Collection trusted)
    {
        if (e.Certificate is null) return false;
        if ((e.SslPolicyErrors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        if (e.Chain is not null)
            foreach (var element in e.Chain.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        var presented = e.Certificate as X509Certificate2;
        using var loaded = presented is null ? X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData()) : null;
        return chain.Build(presented ?? loaded!);
    }
}
