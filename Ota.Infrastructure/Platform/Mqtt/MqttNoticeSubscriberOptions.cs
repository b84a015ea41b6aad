using System.Security.Cryptography.X509Certificates;
using MQTTnet.Protocol;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Where and how a <see cref="MqttNoticeSubscriber"/> listens.</summary>
public sealed class MqttNoticeSubscriberOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Listen to one vehicle's notices; null listens to every vehicle.</summary>
    public string? Vin { get; init; }

    public bool UseTls { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>With <see cref="UseTls"/>: the client certificate (with its key) presented to a broker that asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>With <see cref="UseTls"/>: the CA certificates the broker's certificate must chain to; null trusts the system's store.</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    /// <summary>Subscribe to this topic filter instead of <see cref="Vin"/>'s topic or every vehicle's (to try a broker's refusals).</summary>
    public string? Topic { get; init; }

    public string ClientIdPrefix { get; init; } = "ota-notice-subscriber";

    public MqttQualityOfServiceLevel QualityOfService { get; init; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <summary>Notices kept for inspection (with their raw JSON); beyond this they are only counted. 0 keeps none.</summary>
    public int MaxRetained { get; init; } = 10_000;

    /// <summary>Called for each notice, for example by a fleet simulator; runs on MQTTnet's receive loop, so keep it short.</summary>
    public Func<ReceivedNotice, Task>? OnNotice { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Keep the subscriber's session on the broker this long after a disconnect, so the notices published meanwhile wait
    /// for <see cref="MqttNoticeSubscriber.ReconnectAsync"/> (a broker that keeps sessions across its own restart hands them
    /// over then too). Null starts clean at each connect.
    /// </summary>
    public TimeSpan? SessionExpiry { get; init; }
}
