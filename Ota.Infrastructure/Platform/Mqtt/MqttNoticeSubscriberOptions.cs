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

    public string ClientIdPrefix { get; init; } = "ota-notice-subscriber";

    public MqttQualityOfServiceLevel QualityOfService { get; init; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <summary>Notices kept for inspection (with their raw JSON); beyond this they are only counted. 0 keeps none.</summary>
    public int MaxRetained { get; init; } = 10_000;

    /// <summary>Called for each notice, for example by a fleet simulator; runs on MQTTnet's receive loop, so keep it short.</summary>
    public Func<ReceivedNotice, Task>? OnNotice { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
