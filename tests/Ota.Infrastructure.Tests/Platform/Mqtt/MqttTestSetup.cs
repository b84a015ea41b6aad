using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using StackExchange.Redis;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

/// <summary>Brokers, senders, subscribers and notices for the MQTT tests; every broker takes a free port.</summary>
internal static class MqttTestSetup
{
    /// <summary>How long a test waits for something that normally takes milliseconds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static async Task<EmbeddedMqttBroker> StartBrokerAsync()
    {
        var broker = Broker(new MqttOptions { Embedded = true, Port = 0 });
        await broker.StartAsync(CancellationToken.None);
        return broker;
    }

    /// <summary>
    /// An embedded broker with the product's access rules. Its vehicle secrets come from a database nobody listens on:
    /// these tests connect as the product's own identities (the vehicles' own are tested with a real database).
    /// </summary>
    public static EmbeddedMqttBroker Broker(MqttOptions options) => new(
        Options.Create(options),
        new BrokerAccessPolicy(TestBroker.Credentials, UnreachableVehicleSecrets(), Options.Create(options), NullLogger<BrokerAccessPolicy>.Instance),
        NullLogger<EmbeddedMqttBroker>.Instance);

    private static readonly Lazy<IDatabase> Redis = new(() => ConnectionMultiplexer.Connect(TestEnvironment.Redis).GetDatabase());

    /// <summary>Vehicle secrets from a database nobody listens on, for brokers only the product's own identities use.</summary>
    public static VehicleSecrets UnreachableVehicleSecrets() => new(
        new MySqlConnectionFactory($"Server=127.0.0.1;Port={UnusedPort()}"),
        new VehicleSecretWrapping(new AesKeyWrapService(Convert.FromBase64String(TestEnvironment.MasterKey))),
        new VehicleSecretRotations(Redis.Value, TimeProvider.System, NullLogger<VehicleSecretRotations>.Instance),
        Options.Create(new VehicleApiOptions()), TimeProvider.System, NullLogger<VehicleSecrets>.Instance);

    /// <summary>A sender to 127.0.0.1:<paramref name="port"/>, as for an external broker; retries connecting at once.</summary>
    public static MqttNoticeSender Sender(int port, Action<MqttOptions>? configure = null)
    {
        var options = new MqttOptions
        {
            Embedded = false,
            Host = "127.0.0.1",
            Port = port,
            ReconnectDelay = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PublishTimeout = TimeSpan.FromSeconds(5),
            Username = BrokerCredentials.ServiceUser,
            Password = TestBroker.Credentials.ServicePassword,
        };
        configure?.Invoke(options);
        return new MqttNoticeSender(Options.Create(options), NullLogger<MqttNoticeSender>.Instance);
    }

    public static Task<MqttNoticeSubscriber> SubscribeAsync(int port, string? vin = null, int maxRetained = 10_000) =>
        MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(port, vin, maxRetained));

    public static string VinOf(int n) => "LSVAU2180N" + n.ToString("D7");

    public static VehicleNotice Notice(int n, NoticeKind kind = NoticeKind.Upgrade) => new(
        MessageId: $"msg-{n:D8}",
        TaskId: 4200 + n % 3,
        Vin: VinOf(n),
        Version: "3.1.5",
        PackageId: 17,
        UpgradeType: TaskType.Normal,
        Generation: Generation.OTA1,
        Kind: kind);

    /// <summary>A port nothing listens on (bound and released at once).</summary>
    public static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
