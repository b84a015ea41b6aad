using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Keys;

/// <summary>
/// AES key wrap with padding (RFC 5649) under the master key. Wrapped values look like <c>kw1:&lt;base64&gt;</c>;
/// the version names the master key generation so a rotation can add <c>kw2</c> while <c>kw1</c> values still unwrap.
/// A wrapped value always unwraps to the same key under the one master key, so the keys unwrapped are remembered (in this
/// process's memory only, like the master key itself): package-info serves the same few packages to every vehicle, and
/// an AES unwrap per call was a tenth of its CPU.
/// </summary>
public sealed class AesKeyWrapService : IKeyService
{
    public const string CurrentVersionPrefix = "kw1:";

    private const int GeneratedKeyBytes = 32;
    // Far more packages than a catalog holds; past it the memory starts again empty rather than growing without bound.
    private const int MaxRemembered = 4096;
    private readonly byte[] _masterKey;
    private readonly ConcurrentDictionary<string, byte[]> _unwrapped = new(StringComparer.Ordinal);

    public AesKeyWrapService(IOptions<KeyOptions> options)
        : this(options.Value.TryDecodeMasterKey()
               ?? throw new InvalidOperationException($"{KeyOptions.Section}:MasterKey is missing or malformed."))
    {
    }

    /// <summary>Uses the given AES key (16, 24 or 32 bytes) as the key-encryption key.</summary>
    public AesKeyWrapService(ReadOnlySpan<byte> masterKey)
    {
        if (masterKey.Length is not (16 or 24 or 32))
            throw new ArgumentException("The master key must be 16, 24 or 32 bytes.", nameof(masterKey));
        _masterKey = masterKey.ToArray();
    }

    public string Wrap(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) throw new ArgumentException("There is no key to wrap.", nameof(key));
        using var aes = CreateAes();
        return CurrentVersionPrefix + Convert.ToBase64String(aes.EncryptKeyWrapPadded(key));
    }

    /// <summary>Each call gets its own copy of the key.</summary>
    public byte[] Unwrap(string wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (_unwrapped.TryGetValue(wrapped, out var known)) return (byte[])known.Clone();
        var key = UnwrapNow(wrapped);
        if (_unwrapped.Count >= MaxRemembered) _unwrapped.Clear();
        _unwrapped[wrapped] = key;
        return (byte[])key.Clone();
    }

    private byte[] UnwrapNow(string wrapped)
    {
        if (!wrapped.StartsWith(CurrentVersionPrefix, StringComparison.Ordinal))
            throw new KeyUnwrapException("The wrapped key has no known version prefix.");

        byte[] cipher;
        try
        {
            cipher = Convert.FromBase64String(wrapped[CurrentVersionPrefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new KeyUnwrapException("The wrapped key is not valid base64.", e);
        }

        // RFC 5649 output is a multiple of 8 bytes and at least 16.
        if (cipher.Length < 16 || cipher.Length % 8 != 0)
            throw new KeyUnwrapException("The wrapped key has an impossible length.");

        try
        {
            using var aes = CreateAes();
            return aes.DecryptKeyWrapPadded(cipher);
        }
        catch (CryptographicException e)
        {
            throw new KeyUnwrapException("The wrapped key failed its integrity check (tampered, or wrapped under another master key).", e);
        }
    }

    public byte[] GenerateKey() => RandomNumberGenerator.GetBytes(GeneratedKeyBytes);

    // A fresh instance per call: Aes objects are not safe to share between threads.
    private Aes CreateAes()
    {
        var aes = Aes.Create();
        aes.Key = _masterKey;
        return aes;
    }
}
