using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;
using Xunit.Abstractions;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>
/// SPEC §15 on the reference external broker: Mosquitto from the OS packages, configured from deploy/mosquitto, its
/// clients authenticated by certificates from the vehicle CA. Vehicle A is <c>VinOf(1)</c>, vehicle B <c>VinOf(2)</c>.
/// </summary>
public sealed class MosquittoRules(MosquittoFixture mosquitto, ITestOutputHelper output) : IClassFixture<MosquittoFixture>
{
    private static readonly string A = VinOf(1);
    private static readonly string B = VinOf(2);

    [Fact]
    public async Task AVehicleReceivesTheNoticesTheProductSendsItAndNoOthers()
    {
        await using var a = await mosquitto.SubscribeAsync(await mosquitto.VehicleCertificateAsync(A), A);
        await using var b = await mosquitto.SubscribeAsync(await mosquitto.VehicleCertificateAsync(B), B);

        var result = await mosquitto.Sender.SendAsync([Notice(1), Notice(2), Notice(1) with { MessageId = "msg-again" }]);

        Assert.True(result.AllSent, string.Join("; ", result.Failures.Select(f => f.Error)));
        await a.WaitForCountAsync(2, Patience);
        await b.WaitForCountAsync(1, Patience);
        Assert.Equal(["msg-00000001", "msg-again"], a.Received.Select(r => r.Message!.MessageId));
        Assert.All(a.Received, r => Assert.Equal((NoticeTopics.ForVin(A), A), (r.Topic, r.Message!.Vin)));
        Assert.Equal([(NoticeTopics.ForVin(B), "msg-00000002")], b.Received.Select(r => (r.Topic, r.Message!.MessageId)));
    }

    [Fact]
    public async Task AClientWithoutACertificateIsRefusedAtConnect()
    {
        const string noCertificate = "peer did not return a certificate";
        var logged = LoggedTimes(noCertificate);

        await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => mosquitto.SubscribeAsync(certificate: null, A));

        await BrokerLogsAgainAsync(noCertificate, logged);
    }

    [Fact]
    public async Task AVehicleCertificateFromAnotherCaIsRefusedAtConnect()
    {
        using var impostor = new ForeignCa();
        using var certificate = impostor.Issue(A, server: false).Load();
        var logged = LoggedTimes(VerifyFailed);

        await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => mosquitto.SubscribeAsync(certificate, A));

        await BrokerLogsAgainAsync(VerifyFailed, logged);
    }

    [Fact]
    public async Task TheBrokersOwnCertificateIsRefusedAsAClient()
    {
        // The product's CA signed it, but for a server only: whoever holds the broker's key cannot pass for a client.
        using var certificate = (await mosquitto.Ca.IssueBrokerAsync([A])).Load();

        var logged = LoggedTimes(VerifyFailed);

        await Assert.ThrowsAnyAsync<MqttCommunicationException>(() => mosquitto.SubscribeAsync(certificate, A));

        await BrokerLogsAgainAsync(VerifyFailed, logged);
    }

    [Fact]
    public async Task AVehicleSubscribingToAnotherVehiclesTopicOrAWildcardGetsNoOtherVehiclesNotice()
    {
        var received = new List<string>();
        using var vehicleA = new MqttClientFactory().CreateMqttClient();
        vehicleA.ApplicationMessageReceivedAsync += e =>
        {
            lock (received) received.Add(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        // Vehicle A's certificate, claiming B's VIN as its username: the broker takes the name from the certificate.
        await vehicleA.ConnectAsync(mosquitto.ClientOptions(await mosquitto.VehicleCertificateAsync(A), username: B));
        string[] foreign = [NoticeTopics.ForVin(B), NoticeTopics.AllVehicles, "ota/v1/vehicles/#", "#"];
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in foreign.Append(NoticeTopics.ForVin(A))) subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        var granted = await vehicleA.SubscribeAsync(subscribe.Build());
        // Mosquitto 2.0's acl_file grants any subscription and checks read access for each message it would deliver.
        output.WriteLine(string.Join("\n", granted.Items.Select(i => $"SUBACK {i.TopicFilter.Topic}: {i.ResultCode}")));

        // B's notice first, then A's own: A's arrives after anything of B's would have on the same connection.
        var result = await mosquitto.Sender.SendAsync([Notice(2), Notice(1)]);
        Assert.True(result.AllSent);
        await Eventually.WaitUntilAsync(() => Task.FromResult(Topics(received).Contains(NoticeTopics.ForVin(A))), Patience, "A's own notice");

        Assert.DoesNotContain(NoticeTopics.ForVin(B), Topics(received));
        Assert.All(Topics(received), topic => Assert.Equal(NoticeTopics.ForVin(A), topic));
    }

    [Fact]
    public async Task AVehiclesPublishIsRefusedAndReachesNoVehicle()
    {
        await using var b = await mosquitto.SubscribeAsync(await mosquitto.VehicleCertificateAsync(B), B);
        using var vehicleA = new MqttClientFactory().CreateMqttClient();
        await vehicleA.ConnectAsync(mosquitto.ClientOptions(await mosquitto.VehicleCertificateAsync(A)));
        var forged = Encoding.UTF8.GetBytes($$"""{"messageId":"forged","taskId":1,"vin":"{{B}}","version":"9.9.9"}""");

        await vehicleA.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(NoticeTopics.ForVin(B)).WithPayload(forged).Build());
        var toB = await vehicleA.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(NoticeTopics.ForVin(B)).WithPayload(forged)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var toItself = await vehicleA.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(NoticeTopics.ForVin(A)).WithPayload(forged)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, toB.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, toItself.ReasonCode);
        // The product's notice comes after the forged ones were refused: had they been delivered, they would be first.
        Assert.True((await mosquitto.Sender.SendAsync([Notice(2)])).AllSent);
        await b.WaitForCountAsync(1, Patience);
        Assert.Equal(["msg-00000002"], b.Received.Select(r => r.Message!.MessageId));
    }

    [Fact]
    public async Task TheMonitorReadsEveryVehiclesNoticesAndPublishesNothing()
    {
        using var certificate = (await mosquitto.Ca.IssueMonitorAsync(TimeSpan.FromHours(1))).Load();
        await using var monitor = await mosquitto.SubscribeAsync(certificate, vin: null);
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(mosquitto.ClientOptions(certificate));

        var published = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(NoticeTopics.ForVin(A))
            .WithPayload("{}"u8.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True((await mosquitto.Sender.SendAsync([Notice(1), Notice(2)])).AllSent);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, published.ReasonCode);
        await monitor.WaitForCountAsync(2, Patience);
        Assert.Equal([A, B], monitor.Received.Select(r => r.Message!.Vin));
    }

    [Fact]
    public async Task TheProductRefusesABrokerTheVehicleCaDidNotSign()
    {
        using var impostor = new ForeignCa();
        await using var broker = new MosquittoProcess(impostor.Certificate.ExportCertificatePem(), impostor.Issue("127.0.0.1", server: true),
            impostor.RevocationListPem());
        await broker.StartAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new MqttOptions
        {
            Embedded = false, Host = "127.0.0.1", Port = broker.Port, UseTls = true, UseVehicleCa = true, ConnectTimeout = TimeSpan.FromSeconds(3),
        });
        await using var sender = new MqttNoticeSender(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<MqttNoticeSender>.Instance,
            identity: new MqttClientIdentity(options, mosquitto.Ca));

        var result = await sender.SendAsync([Notice(1)]);

        Assert.False(result.AllSent);
        output.WriteLine(result.Failures[0].Error);
        Assert.Contains("cannot reach the MQTT broker", result.Failures[0].Error);
    }

    [Fact]
    public async Task ARevokedVehicleCertificateIsRefusedOnceTheBrokerHasTheNewList()
    {
        string revokedVin = VinOf(3), otherVin = VinOf(4);
        using var revoked = await mosquitto.VehicleCertificateAsync(revokedVin);
        using var other = await mosquitto.VehicleCertificateAsync(otherVin);
        await (await mosquitto.SubscribeAsync(revoked, revokedVin)).DisposeAsync();

        Assert.Equal(1, await mosquitto.Ca.RevokeVehicleAsync(revokedVin));
        await mosquitto.Broker.ReplaceRevocationListAsync(await mosquitto.Ca.RevocationListPemAsync());

        await Eventually.WaitUntilAsync(async () => !await ConnectsAsync(revoked, revokedVin), Patience, "the broker to refuse the revoked certificate");
        Assert.True(await ConnectsAsync(other, otherVin));
        // The vehicle given a new certificate (a new key) connects again.
        using var renewed = await mosquitto.VehicleCertificateAsync(revokedVin);
        Assert.True(await ConnectsAsync(renewed, revokedVin));
        Assert.Equal(0, await mosquitto.Ca.RevokeVehicleAsync(otherVin[..^1] + "9"));
    }

    private async Task<bool> ConnectsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string vin)
    {
        try
        {
            await (await mosquitto.SubscribeAsync(certificate, vin)).DisposeAsync();
            return true;
        }
        catch (MqttCommunicationException)
        {
            return false;
        }
    }

    private static List<string> Topics(List<string> received)
    {
        lock (received) return [.. received];
    }

    private const string VerifyFailed = "certificate verify failed";

    private int LoggedTimes(string text) => mosquitto.Broker.Log.Split('\n').Count(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits for the broker to log the refusal once more than <paramref name="before"/> times (the test classes' attempts share its log).</summary>
    private Task BrokerLogsAgainAsync(string text, int before) =>
        Eventually.WaitUntilAsync(() => Task.FromResult(LoggedTimes(text) > before), Patience, $"Mosquitto to log \"{text}\"");
}
