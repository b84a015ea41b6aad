using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Tests.Platform.Adapters;
using Ota.Testing;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>
/// The embedded broker's access rules (SPEC §15) with real vehicles in the database: each vehicle connects with its own
/// credential, hears its own notices and nothing else, and publishes nothing; every refusal is logged without a secret.
/// </summary>
public sealed class BrokerAccess(MariaDbFixture db) : IClassFixture<MariaDbFixture>, IAsyncLifetime
{
    private static readonly string Alpha = VinOf(101);
    private static readonly string Beta = VinOf(102);
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<IMqttClient> _clients = [];
    private readonly string _certificateFolder = Directory.CreateTempSubdirectory("ota-broker-tls-").FullName;
    private ServiceProvider _services = null!;
    private EmbeddedMqttBroker _broker = null!;

    public async Task InitializeAsync()
    {
        var (certificate, key) = WriteSelfSignedCertificate(_certificateFolder);
        _services = TestServices.Create(db, settings: new Dictionary<string, string?>
        {
            ["Mqtt:Port"] = "0",
            ["Mqtt:TlsPort"] = "0",
            ["Mqtt:TlsListenAddress"] = "127.0.0.1",
            ["Mqtt:TlsCertificate"] = certificate,
            ["Mqtt:TlsKey"] = key,
            ["Mqtt:ReconnectDelay"] = "00:00:00",
        }, configure: s => s.AddLogging(b => b.AddProvider(_logs)));
        var fleet = new TestFleet(_services, db);
        await fleet.ImportDemoCatalogAsync();
        await fleet.AddVehiclesAsync([await fleet.VehicleAsync(Alpha), await fleet.VehicleAsync(Beta)]);
        _broker = _services.GetRequiredService<EmbeddedMqttBroker>();
        await _broker.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _services.DisposeAsync();
        Directory.Delete(_certificateFolder, recursive: true);
    }

    [Fact]
    public async Task AVehicleWithItsOwnCredentialReceivesItsOwnNotices()
    {
        var alpha = await VehicleAsync(Alpha);
        var received = Collect(alpha);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await SubscribeAsync(alpha, NoticeTopics.ForVin(Alpha)));

        var sent = await _services.GetRequiredService<MqttNoticeSender>().SendAsync([Notice(101), Notice(102)]);

        Assert.Equal(2, sent.Sent);
        var notice = await received.Reader.ReadAsync(new CancellationTokenSource(Patience).Token);
        Assert.Equal(NoticeTopics.ForVin(Alpha), notice.Topic);
        Assert.Contains($"\"vin\":\"{Alpha}\"", notice.Json, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.False(received.Reader.TryRead(out var other), $"alpha heard {other.Topic}");
    }

    [Theory]
    [InlineData(null, null, MqttClientConnectResultCode.NotAuthorized)]
    [InlineData("LSVAU2180N0000101", "", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("LSVAU2180N0000101", "0000000000000000000000000000000000000000000000000000000000000000", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("LSVAU2180N0009999", "for-an-unknown-vin", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData("not a vin", "anything", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData(BrokerCredentials.ServiceUser, "guessed", MqttClientConnectResultCode.BadUserNameOrPassword)]
    [InlineData(BrokerCredentials.MonitorUser, "guessed", MqttClientConnectResultCode.BadUserNameOrPassword)]
    public async Task AConnectionWithoutTheRightCredentialIsRefused(string? user, string? password, MqttClientConnectResultCode expected)
    {
        var result = await TryConnectAsync(user, password, clientId: user ?? "anonymous");

        Assert.Equal(expected, result);
        Assert.Contains(_logs.Lines, l => l.Contains("MQTT connection refused", StringComparison.Ordinal));
        if (!string.IsNullOrEmpty(password)) Assert.DoesNotContain(_logs.Lines, l => l.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFloodOfRefusalsIsCountedInFullAndLoggedAtMostTheLimitAMinute()
    {
        var limit = _services.GetRequiredService<IOptions<MqttOptions>>().Value.RefusalLogsPerMinute;
        var factory = _services.GetRequiredService<IMeterFactory>();
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "ota.mqtt.refusals" && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = tags.ToArray();
            if (tagged.Contains(new("kind", "connect")) && tagged.Contains(new("code", "BadUserNameOrPassword"))) Interlocked.Add(ref counted, value);
        });
        listener.Start();

        // A car with a stale secret, reconnecting in a loop.
        for (var i = 0; i < limit + 5; i++)
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(Alpha, "stale", Alpha));

        Assert.Equal(limit + 5, Interlocked.Read(ref counted));
        Assert.Equal(limit, _logs.Lines.Count(l => l.Contains("MQTT connection refused", StringComparison.Ordinal)));
        Assert.Single(_logs.Lines, l => l.Contains($"{limit} MQTT refusals logged this minute", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnotherVehiclesCredentialIsRefused()
    {
        var betaPassword = VehicleSignature.MqttPassword(Secret(Beta), Beta);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await TryConnectAsync(Alpha, betaPassword, Alpha));
        // Its own credential under another vehicle's session name would take that session over: refused too.
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid,
            await TryConnectAsync(Alpha, VehicleSignature.MqttPassword(Secret(Alpha), Alpha), Beta));
        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid,
            await TryConnectAsync(Alpha, VehicleSignature.MqttPassword(Secret(Alpha), Alpha), "ota-console-host-1-abcdef12"));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(betaPassword, StringComparison.Ordinal) || l.Contains(Secret(Beta), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ota/v1/vehicles/LSVAU2180N0000102/notices")]
    [InlineData("ota/v1/vehicles/+/notices")]
    [InlineData("ota/v1/vehicles/#")]
    [InlineData("#")]
    [InlineData("$SYS/#")]
    [InlineData("ota/v1/vehicles/LSVAU2180N0000101/+")]
    public async Task AVehicleMayNotSubscribeBeyondItsOwnTopic(string filter)
    {
        var alpha = await VehicleAsync(Alpha);
        var received = Collect(alpha);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await SubscribeAsync(alpha, filter));
        await _services.GetRequiredService<MqttNoticeSender>().SendAsync([Notice(102)]);

        await Task.Delay(300);
        Assert.False(received.Reader.TryRead(out _));
        Assert.Contains(_logs.Lines, l => l.Contains("MQTT subscription refused", StringComparison.Ordinal) && l.Contains(filter, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVehicleMayNotPublishANotice()
    {
        var beta = await VehicleAsync(Beta);
        var received = Collect(beta);
        await SubscribeAsync(beta, NoticeTopics.ForVin(Beta));
        var alpha = await VehicleAsync(Alpha);

        var forged = await alpha.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(NoticeTopics.ForVin(Beta)).WithPayload("""{"messageId":"forged"}""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var own = await alpha.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(NoticeTopics.ForVin(Alpha)).WithPayload("""{"messageId":"forged"}""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, own.ReasonCode);
        await Task.Delay(300);
        Assert.False(received.Reader.TryRead(out _));
        Assert.Contains(_logs.Lines, l => l.Contains("MQTT publish refused", StringComparison.Ordinal) && l.Contains(Alpha, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AVehiclesLastWillIsNotPublished()
    {
        var beta = await VehicleAsync(Beta);
        var received = Collect(beta);
        await SubscribeAsync(beta, NoticeTopics.ForVin(Beta));

        var alpha = await VehicleAsync(Alpha, will: NoticeTopics.ForVin(Beta));
        // A connection that ends without DISCONNECT makes the broker publish the will.
        alpha.Dispose();
        _clients.Remove(alpha);

        await Task.Delay(1000);
        Assert.False(received.Reader.TryRead(out var will), $"beta heard {will.Json}");

        // The same from the product's own identity is delivered: the broker does publish wills, it refused the vehicle's.
        var service = await ConnectedAsync(BrokerCredentials.ServiceUser, TestBroker.Credentials.ServicePassword, "ota-will-test", will: NoticeTopics.ForVin(Beta));
        service.Dispose();
        _clients.Remove(service);
        var delivered = await received.Reader.ReadAsync(new CancellationTokenSource(Patience).Token);
        Assert.Contains("will", delivered.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMonitorReadsEveryVehicleButPublishesNothing()
    {
        await using var monitor = await MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(_broker.Port));
        var sender = _services.GetRequiredService<MqttNoticeSender>();

        await sender.SendAsync([Notice(101), Notice(102)]);
        await monitor.WaitForCountAsync(2, Patience);

        var client = await ConnectedAsync(BrokerCredentials.MonitorUser, TestBroker.Credentials.MonitorPassword, "ota-monitor-test");
        var publish = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(NoticeTopics.ForVin(Alpha)).WithPayload("{}")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, publish.ReasonCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await SubscribeAsync(client, "#"));
    }

    [Fact]
    public async Task AVehicleConnectsOverTlsAndPlainTextToTheTlsPortFails()
    {
        var alpha = await VehicleAsync(Alpha, tls: true);
        var received = Collect(alpha);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await SubscribeAsync(alpha, NoticeTopics.ForVin(Alpha)));

        await _services.GetRequiredService<MqttNoticeSender>().SendAsync([Notice(101)]);

        var notice = await received.Reader.ReadAsync(new CancellationTokenSource(Patience).Token);
        Assert.Equal(NoticeTopics.ForVin(Alpha), notice.Topic);
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectedAsync(Alpha, VehicleSignature.MqttPassword(Secret(Alpha), Alpha), Alpha, port: _broker.TlsPort));
    }

    private static string Secret(string vin) => $"secret-{vin}";

    private Task<IMqttClient> VehicleAsync(string vin, string? will = null, bool tls = false) =>
        ConnectedAsync(vin, VehicleSignature.MqttPassword(Secret(vin), vin), vin, will, tls);

    private async Task<IMqttClient> ConnectedAsync(string user, string password, string clientId, string? will = null, bool tls = false, int? port = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        await client.ConnectAsync(Options(user, password, clientId, will, tls, port), new CancellationTokenSource(Patience).Token);
        return client;
    }

    private async Task<MqttClientConnectResultCode> TryConnectAsync(string? user, string? password, string clientId)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        // With MQTT 5 a refusal is an answer (CONNACK with a reason code), not an exception.
        var result = await client.ConnectAsync(Options(user, password, clientId), new CancellationTokenSource(Patience).Token);
        return result.ResultCode;
    }

    private MqttClientOptions Options(string? user, string? password, string clientId, string? will = null, bool tls = false, int? port = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port ?? (tls ? _broker.TlsPort : _broker.Port))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart()
            .WithTimeout(Patience);
        if (user is not null) builder.WithCredentials(user, password);
        if (will is not null) builder.WithWillTopic(will).WithWillPayload("""{"messageId":"will"}""").WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        // The test's own self-signed certificate: any certificate is accepted here, the test is of the broker's TLS.
        if (tls) builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(_ => true));
        return builder.Build();
    }

    private static async Task<MqttClientSubscribeResultCode> SubscribeAsync(IMqttClient client, string filter)
    {
        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return result.Items.Single().ResultCode;
    }

    private static System.Threading.Channels.Channel<(string Topic, string Json)> Collect(IMqttClient client)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<(string Topic, string Json)>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            channel.Writer.TryWrite((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        return channel;
    }

    private static (string Certificate, string Key) WriteSelfSignedCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(folder, "broker.pem");
        var keyPath = Path.Combine(folder, "broker.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }
}
