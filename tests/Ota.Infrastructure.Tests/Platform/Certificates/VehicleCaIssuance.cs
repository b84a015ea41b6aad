using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Keys;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Certificates;

/// <summary>The vehicle CA on a real database: made once for every instance, its key stored wrapped, and what it signs.</summary>
public sealed class VehicleCaIssuance(MariaDbFixture db) : IClassFixture<MariaDbFixture>
{
    private const string Vin = "LSVAU2180N2000001";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    [Fact]
    public async Task InstancesStartingTogetherAllSignWithTheOneCaThatWasStored()
    {
        await db.ExecuteAsync("DELETE FROM ota_vehicle_ca");
        var instances = Enumerable.Range(0, 4).Select(_ => TestServices.Create(db)).ToList();
        try
        {
            var certificates = await Task.WhenAll(instances.Select(i => i.GetRequiredService<VehicleCertificateAuthority>().CertificateAsync()));

            Assert.Single(certificates.Select(c => c.Thumbprint).Distinct());
            Assert.Equal(1, await db.CountAsync("ota_vehicle_ca"));
            await using var later = TestServices.Create(db);
            Assert.Equal(certificates[0].Thumbprint, (await later.GetRequiredService<VehicleCertificateAuthority>().CertificateAsync()).Thumbprint);
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheCaKeyIsStoredWrappedByTheKeyServiceNeverInClear()
    {
        await using var services = TestServices.Create(db);
        using var ca = await services.GetRequiredService<VehicleCertificateAuthority>().CertificateAsync();

        var wrapped = (string)(await db.ScalarAsync("SELECT wrapped_key FROM ota_vehicle_ca"))!;
        var pem = (string)(await db.ScalarAsync("SELECT certificate_pem FROM ota_vehicle_ca"))!;
        Assert.StartsWith(AesKeyWrapService.CurrentVersionPrefix, wrapped);
        Assert.DoesNotContain("PRIVATE KEY", wrapped + pem);
        Assert.False(ca.HasPrivateKey);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(services.GetRequiredService<IKeyService>().Unwrap(wrapped), out _);
        using var paired = ca.CopyWithPrivateKey(key);
        Assert.True(paired.HasPrivateKey);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Fact]
    public async Task AVehicleCertificateNamesTheVinAndServesAsAClientOnly()
    {
        await using var services = TestServices.Create(db);
        var authority = services.GetRequiredService<VehicleCertificateAuthority>();
        using var ca = await authority.CertificateAsync();

        var issued = await authority.IssueVehicleAsync(Vin);
        using var certificate = issued.Load();

        Assert.Equal(Vin, certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal(Vin, issued.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, certificate.GetECDsaPublicKey()!.ExportParameters(false).Curve.Oid.Value);
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(3649), DateTime.UtcNow.AddDays(3651));
        Assert.True(Chains(certificate, ca, ClientAuthentication));
        Assert.False(Chains(certificate, ca, ServerAuthentication));
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.NotEqual(issued.SerialNumber, (await authority.IssueVehicleAsync(Vin)).SerialNumber);
    }

    [Theory]
    [InlineData("ota-service")]
    [InlineData("LSVAU2180N200000")]
    [InlineData("lsvau2180n2000001")]
    [InlineData("LSVAU2180N200000+")]
    [InlineData("#")]
    public async Task OnlyAWellFormedVinGetsAVehicleCertificate(string name)
    {
        await using var services = TestServices.Create(db);

        await Assert.ThrowsAsync<ArgumentException>(() => services.GetRequiredService<VehicleCertificateAuthority>().IssueVehicleAsync(name));
    }

    [Fact]
    public async Task TheProductsOwnCertificatesNameItsIdentitiesForAsLongAsAsked()
    {
        await using var services = TestServices.Create(db);
        var authority = services.GetRequiredService<VehicleCertificateAuthority>();
        using var ca = await authority.CertificateAsync();

        using var service = (await authority.IssueServiceAsync(TimeSpan.FromHours(2))).Load();
        using var monitor = (await authority.IssueMonitorAsync(TimeSpan.FromHours(3))).Load();

        Assert.Equal("ota-service", service.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal("ota-monitor", monitor.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.InRange(service.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddMinutes(119), DateTime.UtcNow.AddMinutes(121));
        Assert.InRange(monitor.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddMinutes(179), DateTime.UtcNow.AddMinutes(181));
        Assert.True(Chains(service, ca, ClientAuthentication));
        Assert.True(Chains(monitor, ca, ClientAuthentication));
    }

    [Fact]
    public async Task ABrokerCertificateServesTheGivenNamesAsAServerOnly()
    {
        await using var services = TestServices.Create(db);
        var authority = services.GetRequiredService<VehicleCertificateAuthority>();
        using var ca = await authority.CertificateAsync();

        using var certificate = (await authority.IssueBrokerAsync(["broker.example", "10.1.2.3"])).Load();

        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["broker.example"], names.EnumerateDnsNames());
        Assert.Equal(["10.1.2.3"], names.EnumerateIPAddresses().Select(a => a.ToString()));
        Assert.True(certificate.MatchesHostname("broker.example"));
        Assert.True(Chains(certificate, ca, ServerAuthentication));
        Assert.False(Chains(certificate, ca, ClientAuthentication));
        await Assert.ThrowsAsync<ArgumentException>(() => authority.IssueBrokerAsync(["not a host"]));
        await Assert.ThrowsAsync<ArgumentException>(() => authority.IssueBrokerAsync([]));
    }

    [Fact]
    public async Task ARevocationListNamesTheRevokedVehiclesUnexpiredCertificatesOnly()
    {
        await using var services = TestServices.Create(db);
        var authority = services.GetRequiredService<VehicleCertificateAuthority>();
        const string other = "LSVAU2180N2000002";
        var first = await authority.IssueVehicleAsync(Vin);
        var second = await authority.IssueVehicleAsync(Vin);
        var kept = await authority.IssueVehicleAsync(other);

        Assert.Equal(2, await authority.RevokeVehicleAsync(Vin));
        Assert.Equal(0, await authority.RevokeVehicleAsync(Vin));

        var pem = await authority.RevocationListPemAsync();
        var fields = PemEncoding.Find(pem);
        Assert.Equal("X509 CRL", pem[fields.Label]);
        var list = CertificateRevocationListBuilder.Load(Convert.FromBase64String(pem[fields.Base64Data]), out _);
        Assert.True(list.RemoveEntry(Convert.FromHexString(first.SerialNumber)));
        Assert.True(list.RemoveEntry(Convert.FromHexString(second.SerialNumber)));
        Assert.False(list.RemoveEntry(Convert.FromHexString(kept.SerialNumber)));
        Assert.Equal(3, await db.CountAsync("ota_vehicle_certificate", $"vin IN ('{Vin}', '{other}')"));
    }

    /// <summary>Whether the certificate chains to <paramref name="ca"/> alone for the given use.</summary>
    private static bool Chains(X509Certificate2 certificate, X509Certificate2 ca, string usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        return chain.Build(certificate);
    }
}
