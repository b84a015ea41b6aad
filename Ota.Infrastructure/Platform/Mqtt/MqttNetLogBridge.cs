using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet.Diagnostics.Logger;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Forwards MQTTnet's warnings and errors to <see cref="ILogger"/>; its chatty lower levels are dropped.</summary>
internal sealed partial class MqttNetLogBridge(ILogger logger) : IMqttNetLogger
{
    public bool IsEnabled => logger.IsEnabled(LogLevel.Warning);

    public void Publish(MqttNetLogLevel logLevel, string source, string message, object[] parameters, Exception exception)
    {
        var level = logLevel switch
        {
            MqttNetLogLevel.Error => LogLevel.Error,
            MqttNetLogLevel.Warning => LogLevel.Warning,
            _ => LogLevel.None,
        };
        if (level == LogLevel.None || !logger.IsEnabled(level)) return;
        var text = parameters is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, message, parameters) : message;
        LogMqttNet(logger, level, source, text, exception);
    }

    [LoggerMessage(Message = "MQTTnet {Source}: {Text}")]
    private static partial void LogMqttNet(ILogger logger, LogLevel level, string source, string text, Exception? exception);
}
