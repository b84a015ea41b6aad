using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure.Platform.Adapters;

namespace Ota.Infrastructure.Tests.Platform.Adapters;

/// <summary>The adapters as the application registers them, with fast retries for tests.</summary>
internal static class AdapterTestServices
{
    public static ServiceProvider Build(Dictionary<string, string?> settings, TimeProvider? clock = null, RecordingLoggerProvider? logs = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Adapters:Http:MaxRetryAttempts"] = "2",
            ["Adapters:Http:RetryDelay"] = "00:00:00.010",
            ["Adapters:Http:AttemptTimeout"] = "00:00:05",
            ["Adapters:Http:TotalTimeout"] = "00:00:20",
        };
        foreach (var (key, value) in settings) all[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();

        var services = new ServiceCollection().AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null) logging.AddProvider(logs);
        });
        if (clock is not null) services.AddSingleton(clock);
        return services.AddOtaAdapters(configuration).BuildServiceProvider(validateScopes: true);
    }
}
