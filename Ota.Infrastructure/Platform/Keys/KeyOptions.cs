namespace Ota.Infrastructure.Platform.Keys;

/// <summary>Master key settings, section <c>Keys</c>. The key comes from the environment or a secret store, never from the repository.</summary>
public sealed class KeyOptions
{
    public const string Section = "Keys";

    /// <summary>Environment variable read when <c>Keys:MasterKey</c> is not set.</summary>
    public const string EnvironmentVariable = "OTA_MASTER_KEY";

    public const int MasterKeyBytes = 32;

    /// <summary>Base64 of 32 random bytes (for example <c>openssl rand -base64 32</c>).</summary>
    public string? MasterKey { get; set; }

    public override string ToString() => $"{nameof(KeyOptions)} {{ MasterKey = {(string.IsNullOrEmpty(MasterKey) ? "<missing>" : "<set>")} }}";

    /// <summary>Decodes <see cref="MasterKey"/>; null when it is missing, not base64, or not 32 bytes.</summary>
    public byte[]? TryDecodeMasterKey()
    {
        if (string.IsNullOrWhiteSpace(MasterKey)) return null;
        var buffer = new byte[MasterKeyBytes + 3];
        if (!Convert.TryFromBase64String(MasterKey.Trim(), buffer, out var written) || written != MasterKeyBytes) return null;
        return buffer[..MasterKeyBytes];
    }
}
