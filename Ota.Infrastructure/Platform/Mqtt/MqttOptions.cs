namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>MQTT settings, section <c>Mqtt</c>: the in-process broker by default, or an external broker (EMQX, Mosquitto, cloud IoT).</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>Host the broker in-process on <see cref="ListenAddress"/>:<see cref="Port"/>; when false, connect to <see cref="Host"/>:<see cref="Port"/>.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>Embedded broker: the address it listens on (127.0.0.1 by default; 0.0.0.0 for vehicles on the network).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Embedded broker: a PEM certificate (with its chain) for MQTT over TLS on <see cref="TlsPort"/>; none: no TLS listener.</summary>
    public string? TlsCertificate { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCertificate"/>; none when the certificate file holds it too.</summary>
    public string? TlsKey { get; set; }

    /// <summary>Embedded broker: the MQTT-over-TLS port when <see cref="TlsCertificate"/> is set.</summary>
    public int TlsPort { get; set; } = 8883;

    /// <summary>Embedded broker: the address of the TLS listener; every interface by default, since it is the one vehicles reach.</summary>
    public string TlsListenAddress { get; set; } = "0.0.0.0";

    /// <summary>External broker host; ignored when <see cref="Embedded"/>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port. With <see cref="Embedded"/>, 0 lets the system choose a free port.</summary>
    public int Port { get; set; } = 1883;

    public bool UseTls { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// External broker with <see cref="UseTls"/>: a PEM file of the CA certificates the broker's certificate must chain to,
    /// instead of the system's trust store (or of the vehicle CA with <see cref="UseVehicleCa"/>).
    /// </summary>
    public string? CaCertificate { get; set; }

    /// <summary>External broker with <see cref="UseTls"/>: a PEM client certificate to present, with its key in <see cref="ClientKey"/>.</summary>
    public string? ClientCertificate { get; set; }

    /// <summary>The PEM (PKCS#8 or EC) private key of <see cref="ClientCertificate"/>.</summary>
    public string? ClientKey { get; set; }

    /// <summary>
    /// External broker with <see cref="UseTls"/> that trusts the vehicle CA (ADR 019): connect with a short-lived
    /// certificate CN=ota-service the app issues itself from that CA (no file to keep), and trust a broker whose
    /// certificate it signed (unless <see cref="CaCertificate"/> names others).
    /// </summary>
    public bool UseVehicleCa { get; set; }

    /// <summary>Client id prefix; a machine name and a random suffix are added so app instances never take over each other's session.</summary>
    public string ClientIdPrefix { get; set; } = "ota-console";

    /// <summary>Notices the push job hands to the sender at a time.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Unacknowledged QoS 1 publishes allowed on the connection; a slow broker makes callers wait beyond this.</summary>
    public int MaxInFlight { get; set; } = 1000;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A batch whose publishes see no acknowledgement for this long fails and the connection is replaced.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After a failed connection attempt, sends fail at once for this long instead of trying again.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Embedded broker: how long a stop waits for acknowledged notices to reach their subscribers.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Embedded broker: refusals written to the log per minute; past this they are counted (<c>ota.mqtt.refusals</c>) and
    /// summed up in one line, so a car reconnecting with a stale secret, or a scanner, cannot flood the log.
    /// </summary>
    public int RefusalLogsPerMinute { get; set; } = 20;

    /// <summary>Embedded broker: messages queued per subscriber before the oldest are dropped.</summary>
    public int BrokerMaxPendingPerClient { get; set; } = 50_000;

    public override string ToString() =>
        $"{nameof(MqttOptions)} {{ Embedded = {Embedded}, ListenAddress = {ListenAddress}, TlsCertificate = {TlsCertificate ?? "<none>"}, Host = {Host}, Port = {Port}, UseTls = {UseTls}, Username = {(Username is null ? "<none>" : "<set>")}, Password = {(Password is null ? "<none>" : "<set>")}, CaCertificate = {CaCertificate ?? "<none>"}, ClientCertificate = {ClientCertificate ?? "<none>"}, UseVehicleCa = {UseVehicleCa} }}";
}
