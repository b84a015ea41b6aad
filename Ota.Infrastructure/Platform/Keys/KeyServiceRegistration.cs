using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ota.Infrastructure.Platform.Keys;

public static class KeyServiceRegistration
{
    /// <summary>
    /// Registers <see cref="IKeyService"/> (AES key wrap) with its master key from <c>Keys:MasterKey</c>
    /// (environment <c>Keys__MasterKey</c>) or <c>OTA_MASTER_KEY</c>; a missing or malformed key stops start-up.
    /// </summary>
    public static IServiceCollection AddKeyService(this IServiceCollection services)
    {
        services.AddOptions<KeyOptions>()
            .BindConfiguration(KeyOptions.Section)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (string.IsNullOrWhiteSpace(options.MasterKey))
                    options.MasterKey = configuration[KeyOptions.EnvironmentVariable];
            })
            .Validate(options => options.TryDecodeMasterKey() is not null,
                $"{KeyOptions.Section}:MasterKey (or the environment variable {KeyOptions.EnvironmentVariable}) must be the base64 of " +
                $"{KeyOptions.MasterKeyBytes} random bytes, for example the output of `openssl rand -base64 32`.")
            .ValidateOnStart();

        services.AddSingleton<IKeyService, AesKeyWrapService>();
        return services;
    }
}
