using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Testing;
using static Ota.Infrastructure.Tests.Platform.Mqtt.MqttTestSetup;

namespace Ota.Infrastructure.Tests.Platform.Mqtt;

public class MqttNoticesRegistration
{
    [Fact]
    public async Task StartsTheEmbeddedBrokerAndSendsThroughIt()
    {
        await using var services = Build(new() { ["Mqtt:Port"] = "0" });
        var hosted = services.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted) await service.StartAsync(CancellationToken.None);
        var broker = services.GetRequiredService<EmbeddedMqttBroker>();
        await using var subscriber = await SubscribeAsync(broker.Port);

        var result = await services.GetRequiredService<INoticeSender>().SendAsync([Notice(1)]);
        await subscriber.WaitForCountAsync(1, Patience);

        Assert.Single(hosted.OfType<EmbeddedMqttBroker>());
        Assert.True(result.AllSent);
        foreach (var service in hosted.Reverse()) await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task HealthIsUpWhileTheBrokerRunsAndDownWhenItStops()
    {
        await using var services = Build(new() { ["Mqtt:Port"] = "0", ["Mqtt:ReconnectDelay"] = "00:00:00" });
        var broker = services.GetRequiredService<EmbeddedMqttBroker>();
        var health = services.GetRequiredService<HealthCheckService>();
        await broker.StartAsync(CancellationToken.None);

        var up = await health.CheckHealthAsync();
        await broker.StopAsync(CancellationToken.None);
        var down = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, up.Entries["mqtt"].Status);
        Assert.Equal(HealthStatus.Unhealthy, down.Entries["mqtt"].Status);
        Assert.Contains("not running", down.Entries["mqtt"].Description);
    }

    [Fact]
    public async Task HealthIsDownWhenTheExternalBrokerIsUnreachable()
    {
        await using var services = Build(new() { ["Mqtt:Embedded"] = "false", ["Mqtt:Port"] = UnusedPort().ToString() });

        var report = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Empty(services.GetServices<IHostedService>().OfType<EmbeddedMqttBroker>());
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["mqtt"].Status);
        Assert.Contains("cannot reach the MQTT broker", report.Entries["mqtt"].Description);
    }

    [Fact]
    public async Task RejectsUnusableSettingsAtStartUp()
    {
        await using var services = Build(new()
        {
            ["Mqtt:Embedded"] = "false",
            ["Mqtt:Host"] = "",
            ["Mqtt:MaxInFlight"] = "0",
            ["Mqtt:Password"] = "p@ss",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Mqtt:Host", error.Message);
        Assert.Contains("Mqtt:MaxInFlight", error.Message);
        Assert.Contains("Mqtt:Password is set without Mqtt:Username", error.Message);
        Assert.DoesNotContain("p@ss", error.Message);
    }

    [Fact]
    public async Task RejectsCertificateSettingsThatCannotWorkAtStartUp()
    {
        await using var embedded = Build(new() { ["Mqtt:UseVehicleCa"] = "true" });
        await using var external = Build(new()
        {
            ["Mqtt:Embedded"] = "false",
            ["Mqtt:UseTls"] = "true",
            ["Mqtt:UseVehicleCa"] = "true",
            ["Mqtt:ClientCertificate"] = "/nonexistent/ota-service.pem",
            ["Mqtt:CaCertificate"] = "/nonexistent/ca.pem",
        });

        var onEmbedded = Assert.Throws<OptionsValidationException>(() => embedded.GetRequiredService<IStartupValidator>().Validate());
        var onExternal = Assert.Throws<OptionsValidationException>(() => external.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("apply to an external broker over TLS", onEmbedded.Message);
        Assert.Contains("Mqtt:ClientCertificate and Mqtt:ClientKey go together", onExternal.Message);
        Assert.Contains("Mqtt:ClientCertificate and Mqtt:UseVehicleCa both name", onExternal.Message);
        Assert.Contains("Mqtt:CaCertificate: no such file /nonexistent/ca.pem", onExternal.Message);
    }

    /// <summary>The MQTT registration and what its broker's access rules need: the master key and the vehicles' secrets (from a database nobody listens on).</summary>
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Keys:MasterKey"] = TestEnvironment.MasterKey;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(TimeProvider.System)
            .AddSingleton(UnreachableVehicleSecrets())
            .AddKeyService()
            .AddMqttNotices(configuration);
        return services.BuildServiceProvider();
    }
}
