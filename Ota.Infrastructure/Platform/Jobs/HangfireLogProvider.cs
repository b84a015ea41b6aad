using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLogLevel = Hangfire.Logging.LogLevel;
using MsLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>
/// Hangfire keeps its log provider in a static. The default one points at the logger factory of whichever host
/// configured it last, and fails once that host is disposed (tests run several hosts in one process). This one
/// lives as long as the process and writes warnings and errors to the console.
/// </summary>
internal sealed class HangfireLogProvider : ILogProvider
{
    public static readonly HangfireLogProvider Instance = new();

    private static readonly ILoggerFactory Factory =
        LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(MsLogLevel.Warning));

    public ILog GetLogger(string name) => new ForwardingLog(Factory.CreateLogger(name));

    private sealed class ForwardingLog(ILogger logger) : ILog
    {
        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = logLevel switch
            {
                HangfireLogLevel.Trace => MsLogLevel.Trace,
                HangfireLogLevel.Debug => MsLogLevel.Debug,
                HangfireLogLevel.Info => MsLogLevel.Information,
                HangfireLogLevel.Warn => MsLogLevel.Warning,
                HangfireLogLevel.Error => MsLogLevel.Error,
                _ => MsLogLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            logger.Log(level, exception, "{Message}", messageFunc());
            return true;
        }
    }
}
