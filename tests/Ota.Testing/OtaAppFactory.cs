using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Mqtt;

namespace Ota.Testing;

/// <summary>
/// The whole app (web, jobs, broker) on the test class's own database (or any database by its connection string), Redis
/// database, Hangfire prefix and MQTT port.
/// </summary>
public class OtaAppFactory(string databaseConnectionString, RedisFixture redis) : WebApplicationFactory<Program>
{
    public OtaAppFactory(MariaDbFixture database, RedisFixture redis) : this(database.ConnectionString, redis)
    {
    }

    /// <summary>
    /// The port the app's embedded broker listens on (the host is started to read it). The broker asks the system for a
    /// free port when it binds: a port picked beforehand and freed could be picked the same way by another test process,
    /// and two brokers on one port is a failure to start (BrokerListener).
    /// </summary>
    public int MqttPort => Services.GetRequiredService<EmbeddedMqttBroker>().Port;

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("ota-test-").FullName;

    /// <summary>Extra settings a test class wants (key → value), applied over the defaults.</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(AllSettings()));
    }

    public Dictionary<string, string?> AllSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ota"] = databaseConnectionString,
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Redis:Database"] = redis.Database.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Redis:HangfirePrefix"] = redis.HangfirePrefix,
            ["Redis:SchedulePollingInterval"] = "00:00:01",
            ["Keys:MasterKey"] = TestEnvironment.MasterKey,
            ["Mqtt:Port"] = "0",
            ["Ota:DataFolder"] = DataFolder,
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        return settings;
    }

    /// <summary>
    /// Serves the app on a real Kestrel socket on a free loopback port (uploads cut off, ranges and browsers behave as on
    /// the wire) and returns its base address.
    /// </summary>
    public string StartOnLoopback()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
