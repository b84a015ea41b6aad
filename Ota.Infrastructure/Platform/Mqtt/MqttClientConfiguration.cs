using MQTTnet;
using MQTTnet.Formatter;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Client options shared by the notice sender and subscriber: MQTT 5, clean start, pipelined transport.</summary>
internal static class MqttClientConfiguration
{
    /// <param name="tls">With <paramref name="useTls"/>: the client certificate to present and the CAs to trust the broker by.</param>
    /// <param name="sessionExpiry">Resume the session of <paramref name="clientId"/> and keep it this long after a disconnect; null starts clean.</param>
    public static MqttClientOptions Build(
        string host, int port, bool useTls, string? username, string? password, string clientId, TimeSpan keepAlive, BrokerTls? tls = null,
        TimeSpan? sessionExpiry = null)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithStreamProvider(PipelinedStreamProvider.Instance)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart(sessionExpiry is null)
            .WithSessionExpiryInterval(sessionExpiry is { } expiry ? (uint)expiry.TotalSeconds : 0)
            .WithKeepAlivePeriod(keepAlive)
            .WithTlsOptions(options =>
            {
                options.UseTls(useTls);
                if (!useTls || tls is null) return;
                if (tls.ClientCertificate is { } certificate) options.WithClientCertificates([certificate]);
                if (tls.TrustedCertificates is { } trusted) options.WithCertificateValidationHandler(e => BrokerTls.Accepts(e, trusted));
            });
        if (!string.IsNullOrEmpty(username)) builder.WithCredentials(username, password);
        return builder.Build();
    }

    /// <summary>A client id no other process uses, so two app instances never take over each other's session.</summary>
    public static string UniqueClientId(string prefix) =>
        $"{prefix}-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
