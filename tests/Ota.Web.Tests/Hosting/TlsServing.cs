using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ota.Testing;

namespace Ota.Web.Tests.Hosting;

/// <summary>
/// The app as an operator runs it with a certificate (SPEC §15): HTTPS beside HTTP through Kestrel's endpoint settings,
/// which `./ota run` writes from OTA_TLS_CERT and OTA_TLS_KEY, and MQTT over TLS from the embedded broker.
/// </summary>
public sealed class TlsServing(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ota-tls-").FullName;
    private X509Certificate2 _certificate = null!;
    private AppProcess _app = null!;
    private int _httpsPort;
    private int _mqttTlsPort;

    public async Task InitializeAsync()
    {
        var (certificatePath, keyPath) = WriteCertificate();
        var httpPort = OtaAppFactory.FreeTcpPort();
        _httpsPort = OtaAppFactory.FreeTcpPort();
        _mqttTlsPort = OtaAppFactory.FreeTcpPort();
        _app = await AppProcess.StartAsync(AppProcess.VictimSettings(db, redis, new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
            ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{_httpsPort.ToString(CultureInfo.InvariantCulture)}",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = certificatePath,
            ["Kestrel:Endpoints:Https:Certificate:KeyPath"] = keyPath,
            ["Mqtt:Port"] = "0", // the broker takes a free port when it binds
            ["Mqtt:TlsPort"] = _mqttTlsPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:TlsListenAddress"] = "127.0.0.1",
            ["Mqtt:TlsCertificate"] = certificatePath,
            ["Mqtt:TlsKey"] = keyPath,
        }), httpPort: httpPort);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ServesHttpsWithTheConfiguredCertificate()
    {
        X509Certificate2? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : new X509Certificate2(certificate);
                    return true;
                },
            },
        };
        using var client = new HttpClient(handler);

        var response = await client.GetAsync(new Uri($"https://127.0.0.1:{_httpsPort.ToString(CultureInfo.InvariantCulture)}/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_certificate.Thumbprint, presented?.Thumbprint);
    }

    [Fact]
    public async Task ServesMqttOverTlsWithTheConfiguredCertificate()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _mqttTlsPort);
        X509Certificate? presented = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            presented = certificate;
            return true;
        });

        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });

        Assert.NotNull(presented);
        Assert.Equal(_certificate.Thumbprint, new X509Certificate2(presented).Thumbprint);
    }

    private (string Certificate, string Key) WriteCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ota.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(_folder, "server.pem");
        var keyPath = Path.Combine(_folder, "server.key");
        File.WriteAllText(certificatePath, _certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
