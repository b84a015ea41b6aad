using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Ota.Infrastructure.Platform.Certificates;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.Platform.Mqtt;

public static class MqttServiceRegistration
{
    /// <summary>
    /// Registers <see cref="MqttOptions"/> (section <c>Mqtt</c>, validated at start-up), the embedded broker as a hosted
    /// service when <c>Mqtt:Embedded</c> is true (the default), <see cref="INoticeSender"/>, and the <c>mqtt</c> health check.
    /// </summary>
    public static IServiceCollection AddMqttNotices(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MqttOptions.Section);
        services.AddOptions<MqttOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MqttOptions>, MqttOptionsValidator>();

        services.AddSingleton<BrokerCredentials>();
        services.AddSingleton(sp => new BrokerAccessPolicy(
            sp.GetRequiredService<BrokerCredentials>(), sp.GetRequiredService<VehicleSecrets>(), sp.GetRequiredService<IOptions<MqttOptions>>(),
            sp.GetRequiredService<ILogger<BrokerAccessPolicy>>(), sp.GetService<OtaMetrics>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<EmbeddedMqttBroker>();
        if (section.GetValue(nameof(MqttOptions.Embedded), defaultValue: true))
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedMqttBroker>());

        services.AddSingleton(sp => new MqttClientIdentity(
            sp.GetRequiredService<IOptions<MqttOptions>>(), sp.GetService<VehicleCertificateAuthority>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new MqttNoticeSender(
            sp.GetRequiredService<IOptions<MqttOptions>>(),
            sp.GetRequiredService<ILogger<MqttNoticeSender>>(),
            sp.GetRequiredService<EmbeddedMqttBroker>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<OtaMetrics>(),
            sp.GetRequiredService<BrokerCredentials>(),
            // Registered by AddInfrastructure with the rest of the platform; a broker-only container (tests) sends unsigned.
            sp.GetService<SigningKeys>(),
            sp.GetRequiredService<MqttClientIdentity>()));
        services.AddSingleton<INoticeSender>(sp => sp.GetRequiredService<MqttNoticeSender>());

        services.AddHealthChecks().AddCheck<MqttBrokerHealthCheck>("mqtt", tags: ["ready"]);
        return services;
    }
}
