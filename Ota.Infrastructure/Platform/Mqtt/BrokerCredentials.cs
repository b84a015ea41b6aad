using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Keys;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The product's own identities on the embedded broker (SPEC §15). Their passwords are derived from the master key, so
/// every instance knows them without another setting, and a new master key changes them.
/// </summary>
public sealed class BrokerCredentials
{
    /// <summary>Publishes notices: the push, the compensation and the cancel jobs.</summary>
    public const string ServiceUser = "ota-service";

    /// <summary>Reads every vehicle's notices and publishes nothing: the fleet simulator, benchmarks, an operator's probe.</summary>
    public const string MonitorUser = "ota-monitor";

    public BrokerCredentials(IOptions<KeyOptions> keys)
        : this(keys.Value.TryDecodeMasterKey() ?? throw new InvalidOperationException($"{KeyOptions.Section}:MasterKey is missing or malformed."))
    {
    }

    private BrokerCredentials(byte[] masterKey)
    {
        ServicePassword = Derive(masterKey, ServiceUser);
        MonitorPassword = Derive(masterKey, MonitorUser);
    }

    public string ServicePassword { get; }

    public string MonitorPassword { get; }

    /// <summary>From the base64 master key (what <c>OTA_MASTER_KEY</c> holds), for tools outside the app.</summary>
    public static BrokerCredentials FromMasterKey(string masterKeyBase64) =>
        new(new KeyOptions { MasterKey = masterKeyBase64 }.TryDecodeMasterKey()
            ?? throw new ArgumentException("Not the base64 of a 32-byte master key.", nameof(masterKeyBase64)));

    /// <summary>The password <paramref name="user"/> must present, or null when it is not one of the product's identities.</summary>
    public string? PasswordOf(string user) => user switch
    {
        ServiceUser => ServicePassword,
        MonitorUser => MonitorPassword,
        _ => null,
    };

    private static string Derive(byte[] masterKey, string user) =>
        Convert.ToBase64String(HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.UTF8.GetBytes("ota mqtt " + user)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
