using System.Collections.Concurrent;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The embedded broker's connected clients and what a stopping broker waits for: per client, the notices queued for it
/// with QoS 1 that it has not acknowledged yet, and which clients are the product's publishers. A notice a vehicle has not acknowledged may
/// still be in its socket or its MQTT client's queue: "left the broker's queue" is not "delivered".
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly ConcurrentDictionary<string, Receiver> _receivers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _publishers = new(StringComparer.Ordinal);

    private sealed class Receiver
    {
        public int Unacknowledged;
        public volatile bool Acknowledges;
    }

    public void Attach(MqttServer server)
    {
        server.ClientConnectedAsync += e =>
        {
            _receivers[e.ClientId] = new Receiver();
            if (e.UserName == BrokerCredentials.ServiceUser) _publishers[e.ClientId] = 0;
            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            // Without persistent sessions, what it did not acknowledge went with it.
            _receivers.TryRemove(e.ClientId, out _);
            _publishers.TryRemove(e.ClientId, out _);
            return Task.CompletedTask;
        };
        server.ClientSubscribedTopicAsync += e =>
        {
            if (e.TopicFilter.QualityOfServiceLevel > MqttQualityOfServiceLevel.AtMostOnce && _receivers.TryGetValue(e.ClientId, out var receiver))
                receiver.Acknowledges = true;
            return Task.CompletedTask;
        };
        server.ApplicationMessageEnqueuedOrDroppedAsync += e =>
        {
            if (!e.IsDropped && e.ApplicationMessage.QualityOfServiceLevel > MqttQualityOfServiceLevel.AtMostOnce
                && _receivers.TryGetValue(e.ReceiverClientId, out var receiver) && receiver.Acknowledges)
                Interlocked.Increment(ref receiver.Unacknowledged);
            return Task.CompletedTask;
        };
        server.ClientAcknowledgedPublishPacketAsync += e =>
        {
            if (_receivers.TryGetValue(e.ClientId, out var receiver)) Interlocked.Decrement(ref receiver.Unacknowledged);
            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// Notices queued for connected clients and not acknowledged. A client's count can dip below zero for a moment (its
    /// acknowledgement counted before the broker reported the notice queued); it then owes nothing.
    /// </summary>
    public long Unacknowledged => _receivers.Values.Sum(r => (long)Math.Max(0, Volatile.Read(ref r.Unacknowledged)));

    public int ConnectedClients => _receivers.Count;

    /// <summary>The connected clients of the product's service identity: the publishers of notices.</summary>
    public ICollection<string> Publishers => _publishers.Keys;

    public int PublisherCount => _publishers.Count;
}
