using MQTTnet;
using MQTTnet.Exceptions;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>One MQTT client and its window of unacknowledged publishes.</summary>
internal sealed class NoticeConnection(IMqttClient client, int window)
{
    public IMqttClient Client { get; } = client;

    public SemaphoreSlim Window { get; } = new(window, window);

    public async Task CloseAsync()
    {
        if (Client.IsConnected)
        {
            try
            {
                await Client.DisconnectAsync(new MqttClientDisconnectOptions()).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or TimeoutException or OperationCanceledException)
            {
                // The broker is already unreachable; disposing below releases the socket.
            }
        }
        Client.Dispose();
    }
}
