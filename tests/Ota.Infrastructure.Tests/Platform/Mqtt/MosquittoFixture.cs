using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>
/// A Mosquitto of the test class's own, configured from deploy/mosquitto with certificates from the vehicle CA of the
/// class's database, and the product's notice sender connected to it with the certificate it issues itself.
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    public MariaDbFixture Db { get; } = new();
    public ServiceProvider Services { get; private set; } = null!;
    public VehicleCertificateAuthority Ca => Services.GetRequiredService<VehicleCertificateAuthority>();
    public X509Certificate2 CaCertificate { get; private set; } = null!;
    public MosquittoProcess Broker { get; private set; } = null!;
    public MqttNoticeSender Sender { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Services = TestServices.Create(Db);
        CaCertificate = await Ca.CertificateAsync();
        Broker = await MosquittoProcess.StartAsync(Ca);
        var options = Options.Create(new MqttOptions
        {
            Embedded = false,
            Host = "127.0.0.1",
            Port = Broker.Port,
            UseTls = true,
            UseVehicleCa = true,
            ReconnectDelay = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PublishTimeout = TimeSpan.FromSeconds(5),
        });
        Sender = new MqttNoticeSender(options, NullLogger<MqttNoticeSender>.Instance, identity: new MqttClientIdentity(options, Ca));
    }

    public async Task DisposeAsync()
    {
        await Sender.DisposeAsync();
        await Broker.DisposeAsync();
        await Services.DisposeAsync();
        await Db.DisposeAsync();
    }

    public async Task<X509Certificate2> VehicleCertificateAsync(string vin) => (await Ca.IssueVehicleAsync(vin)).Load();

    /// <summary>A notice subscriber presenting <paramref name="certificate"/> (none when null) and trusting the broker by the vehicle CA.</summary>
    public Task<MqttNoticeSubscriber> SubscribeAsync(X509Certificate2? certificate, string? vin, string? topic = null) =>
        MqttNoticeSubscriber.ConnectAsync(new MqttNoticeSubscriberOptions
        {
            Host = "127.0.0.1",
            Port = Broker.Port,
            UseTls = true,
            ClientCertificate = certificate,
            TrustedCertificates = [CaCertificate],
            Vin = vin,
            Topic = topic,
        });

    /// <summary>Options of a plain MQTT 5 client over TLS with <paramref name="certificate"/>, for what a notice subscriber never does.</summary>
    public MqttClientOptions ClientOptions(X509Certificate2 certificate, string? username = null) =>
        MqttClientConfiguration.Build("127.0.0.1", Broker.Port, useTls: true, username, password: null,
            MqttClientConfiguration.UniqueClientId("ota-test-vehicle"), TimeSpan.FromSeconds(30), new BrokerTls(certificate, [CaCertificate]));
}
