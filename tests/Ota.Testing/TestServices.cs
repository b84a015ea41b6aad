using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure;

namespace Ota.Testing;

/// <summary>The infrastructure services (as the command line gets them) on a test class's own database and Redis database.</summary>
public static class TestServices
{
    public static ServiceProvider Create(MariaDbFixture database, RedisFixture? redis = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ota"] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = redis?.ConnectionString ?? TestEnvironment.Redis,
            ["Redis:Database"] = (redis?.Database ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Redis:HangfirePrefix"] = redis?.HangfirePrefix ?? $"ota-test:{Guid.NewGuid():N}:",
            ["Keys:MasterKey"] = TestEnvironment.MasterKey,
            ["Ota:DataFolder"] = Directory.CreateTempSubdirectory("ota-test-").FullName,
        };
        if (settings is not null) foreach (var (k, v) in settings) values[k] = v;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddInfrastructure(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
