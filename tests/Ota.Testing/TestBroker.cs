using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Testing;

/// <summary>The product's broker identities under the tests' master key, and subscriber options that use them.</summary>
public static class TestBroker
{
    public static BrokerCredentials Credentials { get; } = BrokerCredentials.FromMasterKey(TestEnvironment.MasterKey);

    /// <summary>A subscriber as the monitor identity: every vehicle's notices, or one vehicle's when <paramref name="vin"/> is given.</summary>
    public static MqttNoticeSubscriberOptions Monitor(
        int port, string? vin = null, int maxRetained = 10_000, Func<ReceivedNotice, Task>? onNotice = null) => new()
        {
            Host = "127.0.0.1",
            Port = port,
            Vin = vin,
            MaxRetained = maxRetained,
            OnNotice = onNotice,
            Username = BrokerCredentials.MonitorUser,
            Password = Credentials.MonitorPassword,
        };
}
