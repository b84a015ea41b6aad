using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Certificates;

/// <summary>
/// The vehicle CA the product keeps (ADR 019): an ECDSA P-256 CA made on first need and stored in the database with its
/// key wrapped by the key service, so every instance signs with the same one. It issues the client certificates vehicles
/// present to an external broker (CN = VIN), the product's own (CN = <see cref="ServiceIdentity"/> to publish,
/// <see cref="MonitorIdentity"/> to listen) and the broker's server certificate. The product's identities are named as on
/// the embedded broker (ADR 020). A broker that trusts this CA and takes the certificate's CN as the username (Mosquitto's
/// <c>use_identity_as_username</c>) needs no list of vehicles.
/// </summary>
public sealed partial class VehicleCertificateAuthority(
    IDbContextFactory<OtaDbContext> contexts, IKeyService keys, TimeProvider clock, ILogger<VehicleCertificateAuthority> logger) : IDisposable
{
    /// <summary>The product's publishing identity: the broker's ACL lets it publish every vehicle's notices. Never a VIN (VINs have 17 characters).</summary>
    public const string ServiceIdentity = "ota-service";

    /// <summary>The product's reading identity (tests, benchmarks, an operator's probe): every vehicle's notices, no publishing.</summary>
    public const string MonitorIdentity = "ota-monitor";

    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(20 * 365);
    public static readonly TimeSpan DefaultVehicleLifetime = TimeSpan.FromDays(10 * 365);
    public static readonly TimeSpan DefaultBrokerLifetime = TimeSpan.FromDays(825);

    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    // Clocks of vehicles and brokers run a little apart: a certificate valid from a few minutes ago is valid on all of them.
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly Lock _signGate = new();
    private Signer? _signer;

    /// <summary>The CA certificate (no key): what a broker's <c>cafile</c> holds and what clients trust the broker by.</summary>
    public async Task<X509Certificate2> CertificateAsync(CancellationToken ct = default) =>
        X509CertificateLoader.LoadCertificate((await SignerAsync(ct)).Certificate.RawData);

    /// <summary>A client certificate CN = VIN for a vehicle, with a new key; its serial number is recorded for revocation.</summary>
    /// <exception cref="ArgumentException"><paramref name="vin"/> is not a well-formed VIN.</exception>
    public async Task<IssuedCertificate> IssueVehicleAsync(string vin, TimeSpan? lifetime = null, CancellationToken ct = default)
    {
        if (Vin.Normalize(vin) != vin) throw new ArgumentException($"'{vin}' is not a VIN.", nameof(vin));
        var issued = await IssueClientAsync(vin, lifetime ?? DefaultVehicleLifetime, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Set<VehicleCertificateRecord>().Add(new VehicleCertificateRecord
        {
            SerialNumber = issued.SerialNumber, Vin = vin, IssuedAt = clock.GetUtcNow().UtcDateTime, NotAfter = issued.NotAfter.UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return issued;
    }

    /// <summary>
    /// Revokes every unexpired certificate issued to the vehicle; returns how many. A broker refuses them once it has
    /// the list of <see cref="RevocationListPemAsync"/> (Mosquitto: <c>crlfile</c>, reloaded on SIGHUP).
    /// </summary>
    public async Task<int> RevokeVehicleAsync(string vin, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Set<VehicleCertificateRecord>().Where(c => c.Vin == vin && c.RevokedAt == null && c.NotAfter > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, now), ct);
    }

    /// <summary>
    /// The certificate revocation list (PEM) of every revoked vehicle certificate not yet expired, signed by the CA. It is
    /// valid until the CA expires: OpenSSL (so Mosquitto) refuses every client once its list is past its next update.
    /// </summary>
    public async Task<string> RevocationListPemAsync(CancellationToken ct = default)
    {
        var signer = await SignerAsync(ct);
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var revoked = await db.Set<VehicleCertificateRecord>().AsNoTracking()
            .Where(c => c.RevokedAt != null && c.NotAfter > now.UtcDateTime)
            .Select(c => new { c.SerialNumber, c.RevokedAt }).ToListAsync(ct);
        var list = new CertificateRevocationListBuilder();
        foreach (var entry in revoked)
            list.AddEntry(Convert.FromHexString(entry.SerialNumber), new DateTimeOffset(entry.RevokedAt!.Value, TimeSpan.Zero));
        var authorityKey = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer.Certificate, true, false);
        byte[] der;
        lock (_signGate)
            der = list.Build(signer.Certificate.SubjectName, signer.Generator, new System.Numerics.BigInteger(now.ToUnixTimeMilliseconds()),
                signer.Certificate.NotAfter.ToUniversalTime(), HashAlgorithmName.SHA256, authorityKey, now - Backdate);
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }

    /// <summary>A client certificate CN = <see cref="ServiceIdentity"/>: the app's own, issued to itself at connect time.</summary>
    public Task<IssuedCertificate> IssueServiceAsync(TimeSpan lifetime, CancellationToken ct = default) =>
        IssueClientAsync(ServiceIdentity, lifetime, ct);

    /// <summary>A client certificate CN = <see cref="MonitorIdentity"/>, to listen to every vehicle's notices.</summary>
    public Task<IssuedCertificate> IssueMonitorAsync(TimeSpan lifetime, CancellationToken ct = default) =>
        IssueClientAsync(MonitorIdentity, lifetime, ct);

    /// <summary>A server certificate for the broker, valid for each of <paramref name="hosts"/> (DNS names or IP addresses).</summary>
    public async Task<IssuedCertificate> IssueBrokerAsync(IReadOnlyList<string> hosts, TimeSpan? lifetime = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (hosts.Count == 0) throw new ArgumentException("A broker certificate needs at least one host name.", nameof(hosts));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address)) names.AddIpAddress(address);
            else if (Uri.CheckHostName(host) == UriHostNameType.Dns) names.AddDnsName(host);
            else throw new ArgumentException($"'{host}' is neither a DNS name nor an IP address.", nameof(hosts));
        }
        var signer = await SignerAsync(ct);
        return Issue(signer, hosts[0], ServerAuthentication, lifetime ?? DefaultBrokerLifetime, names.Build());
    }

    private async Task<IssuedCertificate> IssueClientAsync(string commonName, TimeSpan lifetime, CancellationToken ct)
    {
        var signer = await SignerAsync(ct);
        return Issue(signer, commonName, ClientAuthentication, lifetime, alternativeNames: null);
    }

    private IssuedCertificate Issue(Signer signer, string commonName, string usage, TimeSpan lifetime, X509Extension? alternativeNames)
    {
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(lifetime), "A certificate's lifetime must be positive.");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer.Certificate, true, false));
        if (alternativeNames is not null) request.CertificateExtensions.Add(alternativeNames);

        var now = clock.GetUtcNow();
        // A certificate outliving its CA would fail verification at the end anyway; say so by its dates.
        var notAfter = now + lifetime < signer.Certificate.NotAfter.ToUniversalTime() ? now + lifetime : signer.Certificate.NotAfter.ToUniversalTime();
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive, and no leading zero byte to drop
        X509Certificate2 certificate;
        lock (_signGate) certificate = request.Create(signer.Certificate.SubjectName, signer.Generator, now - Backdate, notAfter, serial);
        using (certificate)
            return new IssuedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), commonName,
                certificate.SerialNumber, notAfter);
    }

    private async Task<Signer> SignerAsync(CancellationToken ct)
    {
        if (_signer is { } known) return known;
        await _loadGate.WaitAsync(ct);
        try
        {
            return _signer ??= await LoadOrCreateAsync(ct);
        }
        finally
        {
            _loadGate.Release();
        }
    }

    private async Task<Signer> LoadOrCreateAsync(CancellationToken ct)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (await db.Set<VehicleCaRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == VehicleCaRecord.TheOne, ct) is { } stored)
                return Open(stored);
        }

        var created = Create();
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.Set<VehicleCaRecord>().Add(created);
            await db.SaveChangesAsync(ct);
            using var certificate = X509Certificate2.CreateFromPem(created.CertificatePem);
            LogCreated(logger, certificate.Subject);
        }
        catch (DbUpdateException e) when (e.InnerException is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry })
        {
            // Another instance made the CA at the same moment: use the one that was stored.
        }
        await using var again = await contexts.CreateDbContextAsync(ct);
        return Open(await again.Set<VehicleCaRecord>().AsNoTracking().SingleAsync(r => r.Id == VehicleCaRecord.TheOne, ct));
    }

    private VehicleCaRecord Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        // A name of its own, so an operator (and a broker's cafile) can tell this deployment's CA from another's.
        name.AddCommonName($"OTA vehicle CA {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now - Backdate, now + CaLifetime);
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return new VehicleCaRecord
            {
                Id = VehicleCaRecord.TheOne,
                CertificatePem = certificate.ExportCertificatePem(),
                WrappedKey = keys.Wrap(pkcs8),
                CreatedAt = now.UtcDateTime,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private Signer Open(VehicleCaRecord stored)
    {
        var certificate = X509Certificate2.CreateFromPem(stored.CertificatePem);
        var key = ECDsa.Create();
        var pkcs8 = keys.Unwrap(stored.WrappedKey);
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            // Throws when the key is not the certificate's (a row edited by hand, say) rather than signing what nobody can verify.
            using var paired = certificate.CopyWithPrivateKey(key);
        }
        catch
        {
            key.Dispose();
            certificate.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
        return new Signer(certificate, key, X509SignatureGenerator.CreateForECDsa(key));
    }

    public void Dispose()
    {
        _signer?.Dispose();
        _loadGate.Dispose();
    }

    private sealed record Signer(X509Certificate2 Certificate, ECDsa Key, X509SignatureGenerator Generator) : IDisposable
    {
        public void Dispose()
        {
            Key.Dispose();
            Certificate.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the vehicle CA {Subject}; its key is stored wrapped by the key service")]
    private static partial void LogCreated(ILogger logger, string subject);
}
