using MQTTnet;
using MQTTnet.Formatter;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Client options shared by the notice sender and subscriber: MQTT 5, clean start, pipelined transport.</summary>
internal static class MqttClientConfiguration
{
    public static MqttClientOptions Build(
        string host, int port, bool useTls, string? username, string? password, string clientId, TimeSpan keepAlive)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithStreamProvider(PipelinedStreamProvider.Instance)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithCleanStart()
            .WithKeepAlivePeriod(keepAlive)
            .WithTlsOptions(tls => tls.UseTls(useTls));
        if (!string.IsNullOrEmpty(username)) builder.WithCredentials(username, password);
        return builder.Build();
    }

    /// <summary>A client id no other process uses, so two app instances never take over each other's session.</summary>
    public static string UniqueClientId(string prefix) =>
        $"{prefix}-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
