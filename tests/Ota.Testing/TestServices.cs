using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ota.Infrastructure;

namespace Ota.Testing;

/// <summary>The infrastructure services (as the command line gets them) on a test class's own database and Redis database.</summary>
public static class TestServices
{
    public static ServiceProvider Create(MariaDbFixture database, RedisFixture? redis = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null) =>
        Create(database.ConnectionString, redis, settings, configure);

    /// <summary>The same on any database by its connection string (a private MariaDB server, say).</summary>
    public static ServiceProvider Create(string databaseConnectionString, RedisFixture? redis = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ota"] = databaseConnectionString,
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
