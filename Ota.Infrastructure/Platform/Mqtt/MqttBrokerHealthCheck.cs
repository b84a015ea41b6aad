using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Healthy when the broker (embedded or external) is up and the notice sender holds a connection to it.</summary>
public sealed class MqttBrokerHealthCheck(IOptions<MqttOptions> options, EmbeddedMqttBroker broker, MqttNoticeSender sender) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.Embedded && !broker.IsRunning)
            return HealthCheckResult.Unhealthy("The embedded MQTT broker is not running.");

        var error = await sender.TryConnectAsync(cancellationToken).ConfigureAwait(false);
        if (error is not null) return HealthCheckResult.Unhealthy($"MQTT broker unreachable: {error}");

        var data = new Dictionary<string, object> { ["embedded"] = options.Value.Embedded };
        if (options.Value.Embedded)
        {
            data["port"] = broker.Port;
            data["clients"] = broker.ConnectedClientCount;
        }
        return HealthCheckResult.Healthy("MQTT broker up.", data);
    }
}
