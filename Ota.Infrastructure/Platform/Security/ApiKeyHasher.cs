using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>A newly created open-API key: <see cref="Key"/> is shown once, only <see cref="Hash"/> and <see cref="DisplayPrefix"/> are stored.</summary>
public sealed record NewApiKey(string Key, string Hash, string DisplayPrefix)
{
    public override string ToString() => $"{nameof(NewApiKey)} {{ DisplayPrefix = {DisplayPrefix} }}";
}

/// <summary>Open-API keys (<c>X-Api-Key</c>): generated with 192 random bits, stored as SHA-256 hex.</summary>
public static class ApiKeyHasher
{
    public const string KeyPrefix = "ota_";
    public const int RandomChars = 32;

    /// <summary>Length of the prefix kept for display, e.g. <c>ota_AbCd</c>.</summary>
    public const int DisplayPrefixLength = 8;

    private const string UrlSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public static NewApiKey Generate()
    {
        var key = KeyPrefix + RandomNumberGenerator.GetString(UrlSafeAlphabet, RandomChars);
        return new NewApiKey(key, Hash(key), DisplayPrefix(key));
    }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes. A fast hash suffices: the key has 192 bits of entropy.</summary>
    public static string Hash(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
    }

    public static string DisplayPrefix(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return apiKey.Length <= DisplayPrefixLength ? apiKey : apiKey[..DisplayPrefixLength];
    }

    /// <summary>Whether a presented key hashes to the stored hash; the comparison takes constant time.</summary>
    public static bool Matches(string? presentedKey, string storedHash)
    {
        ArgumentNullException.ThrowIfNull(storedHash);
        if (string.IsNullOrEmpty(presentedKey)) return false;
        Span<byte> stored = stackalloc byte[32];
        if (storedHash.Length != 64 || Convert.FromHexString(storedHash, stored, out _, out _) != OperationStatus.Done) return false;
        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}
