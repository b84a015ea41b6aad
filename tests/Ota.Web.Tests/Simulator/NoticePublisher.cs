using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// Publishes notices to the broker as the test says, not as the product would: forged, changed, unsigned or replayed.
/// It connects with the product's own publishing identity: the forger the signatures guard against is one who got
/// past the broker's rules (a stolen broker credential, a compromised broker, a server in the middle).
/// </summary>
internal sealed class NoticePublisher : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private NoticePublisher(IMqttClient client) => _client = client;

    public static MqttClientOptions Options(int port) =>
        MqttClientConfiguration.Build("127.0.0.1", port, useTls: false, BrokerCredentials.ServiceUser, TestBroker.Credentials.ServicePassword,
            MqttClientConfiguration.UniqueClientId("ota-test-publisher"), TimeSpan.FromSeconds(30));

    public static async Task<NoticePublisher> ConnectAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var connected = await client.ConnectAsync(Options(port));
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        return new NoticePublisher(client);
    }

    /// <summary>Publishes the notice on the topic of its VIN (or of <paramref name="topicVin"/>).</summary>
    public Task PublishAsync(NoticeMessage notice, string? topicVin = null) =>
        PublishAsync(NoticeTopics.ForVin(topicVin ?? notice.Vin), JsonSerializer.SerializeToUtf8Bytes(notice, NoticeJsonContext.Default.NoticeMessage));

    public async Task PublishAsync(string topic, byte[] payload)
    {
        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers,
            $"the broker refused the test's notice: {result.ReasonCode}");
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync();
        _client.Dispose();
    }
}
