using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Certificates;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The certificates the app's own MQTT connection to an external broker uses (<see cref="MqttOptions"/>): the client
/// certificate from files, or one CN=ota-service the app issues itself from the vehicle CA and renews halfway through
/// its life; the broker trusted by a CA file, by the vehicle CA, or by the system. Files are read at each connect, so
/// replaced ones are taken up at the next connection.
/// </summary>
public sealed class MqttClientIdentity(IOptions<MqttOptions> options, VehicleCertificateAuthority? ca = null, TimeProvider? clock = null)
{
    /// <summary>How long the certificate the app issues itself is valid; a new one is issued after half of it.</summary>
    public static readonly TimeSpan ServiceCertificateLifetime = TimeSpan.FromDays(7);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _issueGate = new(1, 1);
    private (X509Certificate2 Certificate, DateTimeOffset RenewAt)? _issued;

    /// <summary>The certificates for the next connection; null when the broker is reached without TLS.</summary>
    public async Task<BrokerTls?> ForConnectAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.UseTls || o.Embedded) return null;
        X509Certificate2Collection? trusted = null;
        if (!string.IsNullOrEmpty(o.CaCertificate))
        {
            trusted = [];
            trusted.ImportFromPemFile(o.CaCertificate);
        }
        else if (o.UseVehicleCa)
        {
            trusted = [await Ca().CertificateAsync(ct).ConfigureAwait(false)];
        }

        var client = !string.IsNullOrEmpty(o.ClientCertificate)
            ? X509Certificate2.CreateFromPemFile(o.ClientCertificate, o.ClientKey)
            : o.UseVehicleCa ? await ServiceCertificateAsync(ct).ConfigureAwait(false) : null;
        return new BrokerTls(client, trusted);
    }

    private async Task<X509Certificate2> ServiceCertificateAsync(CancellationToken ct)
    {
        await _issueGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_issued is { } current && _clock.GetUtcNow() < current.RenewAt) return current.Certificate;
            var issued = await Ca().IssueServiceAsync(ServiceCertificateLifetime, ct).ConfigureAwait(false);
            // Certificates handed to earlier connections stay usable: they are not disposed, only no longer handed out.
            _issued = (issued.Load(), _clock.GetUtcNow() + ServiceCertificateLifetime / 2);
            return _issued.Value.Certificate;
        }
        finally
        {
            _issueGate.Release();
        }
    }

    private VehicleCertificateAuthority Ca() =>
        ca ?? throw new InvalidOperationException("Mqtt:UseVehicleCa is set but no vehicle CA is registered.");
}
