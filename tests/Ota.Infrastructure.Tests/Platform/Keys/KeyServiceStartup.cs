using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Keys;

namespace Ota.Infrastructure.Tests.Platform.Keys;

public class KeyServiceStartup
{
    [Fact]
    public void MissingMasterKeyStopsStartUp()
    {
        using var services = Build([]);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("Keys:MasterKey", error.Message);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")] // 16 bytes
    [InlineData("   ")]
    public void MalformedMasterKeyStopsStartUp(string masterKey)
    {
        using var services = Build(new() { ["Keys:MasterKey"] = masterKey });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void WrapsUnderTheConfiguredMasterKey()
    {
        var masterKey = RandomNumberGenerator.GetBytes(32);
        using var services = Build(new() { ["Keys:MasterKey"] = Convert.ToBase64String(masterKey) });
        services.GetRequiredService<IStartupValidator>().Validate();
        var keyService = services.GetRequiredService<IKeyService>();
        var key = keyService.GenerateKey();

        var wrapped = keyService.Wrap(key);

        Assert.Equal(key, new AesKeyWrapService(masterKey).Unwrap(wrapped));
    }

    [Fact]
    public void FallsBackToTheOtaMasterKeyVariable()
    {
        var masterKey = RandomNumberGenerator.GetBytes(32);
        using var services = Build(new() { ["OTA_MASTER_KEY"] = Convert.ToBase64String(masterKey) });
        services.GetRequiredService<IStartupValidator>().Validate();

        var wrapped = services.GetRequiredService<IKeyService>().Wrap([1, 2, 3]);

        Assert.Equal([1, 2, 3], new AesKeyWrapService(masterKey).Unwrap(wrapped));
    }

    [Fact]
    public void KeepsTheMasterKeyOutOfTheOptionsTextForm()
    {
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Assert.DoesNotContain(masterKey, new KeyOptions { MasterKey = masterKey }.ToString());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddKeyService()
            .BuildServiceProvider();
    }
}
