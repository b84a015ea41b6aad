using System.Security.Cryptography;
using System.Text;
using Ota.Infrastructure.Platform.Keys;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// Vehicle secrets at rest (SPEC §15): <c>ota_vehicle.secret</c> holds the secret's UTF-8 bytes wrapped by the key
/// service (<c>kw1:…</c>), never the secret itself. The one place a vehicle secret is wrapped or unwrapped.
/// </summary>
public sealed class VehicleSecretWrapping(IKeyService keys)
{
    /// <summary>The longest secret a vehicle may have (the vehicle import's limit).</summary>
    public const int MaxSecretLength = 128;

    /// <summary>
    /// The column's length: the prefix and the base64 of the wrap (padded to 8 bytes, plus 8) of the longest secret, at
    /// most 3 UTF-8 bytes for each of its (UTF-16) characters.
    /// </summary>
    public const int MaxStoredLength = 4 + (MaxSecretLength * 3 + 8 + 2) / 3 * 4;

    /// <summary>Wrapped values start with this (<see cref="AesKeyWrapService.CurrentVersionPrefix"/>); SQL finds clear ones by it.</summary>
    public const string WrappedPrefix = AesKeyWrapService.CurrentVersionPrefix;

    /// <summary>
    /// The stored form of <paramref name="secret"/>. The same secret wraps to the same value under one master key, so
    /// a re-import that brings a vehicle's secret again can tell it is unchanged.
    /// </summary>
    public string Wrap(string secret) => WrapAll([secret])[0];

    /// <summary>The stored forms of many secrets, in their order, for the bulk paths (a fleet import, the demo world).</summary>
    public string[] WrapAll(IReadOnlyList<string> secrets)
    {
        var bytes = new byte[secrets.Count][];
        for (var i = 0; i < secrets.Count; i++)
        {
            ArgumentException.ThrowIfNullOrEmpty(secrets[i], nameof(secrets));
            if (secrets[i].Length > MaxSecretLength)
                throw new ArgumentException($"A vehicle secret has at most {MaxSecretLength} characters.", nameof(secrets));
            bytes[i] = Encoding.UTF8.GetBytes(secrets[i]);
        }
        try
        {
            return keys.WrapAll(bytes);
        }
        finally
        {
            foreach (var b in bytes) CryptographicOperations.ZeroMemory(b);
        }
    }

    /// <summary>The secret a stored value holds.</summary>
    /// <exception cref="KeyUnwrapException">The value is not wrapped (a secret in clear), tampered, or wrapped under another master key.</exception>
    public string Unwrap(string stored)
    {
        // Not remembered by the key service: there are as many as vehicles, and VehicleSecrets keeps what it needs.
        var bytes = keys.UnwrapOnce(stored);
        try
        {
            return Encoding.UTF8.GetString(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Whether a stored value is wrapped (rather than a secret in clear, from before secrets were wrapped).</summary>
    public static bool IsWrapped(string stored) => stored.StartsWith(WrappedPrefix, StringComparison.Ordinal);

    /// <summary>A new random secret: 32 lower-case hex digits (128 bits), like the ones generated before.</summary>
    public static string Generate() => RandomNumberGenerator.GetHexString(32, lowercase: true);
}
