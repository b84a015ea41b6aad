using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Platform.Keys;

/// <summary>
/// AES key wrap with padding (RFC 5649) under the master key. Wrapped values look like <c>kw1:&lt;base64&gt;</c>;
/// the version names the master key generation so a rotation can add <c>kw2</c> while <c>kw1</c> values still unwrap.
/// A wrapped value always unwraps to the same key under the one master key, so the keys unwrapped are remembered (in this
/// process's memory only, like the master key itself): package-info serves the same few packages to every vehicle, and
/// an AES unwrap per call was a tenth of its CPU. The AES transforms are kept too (<see cref="Rfc5649"/>), one per
/// thread at work.
/// </summary>
public sealed class AesKeyWrapService : IKeyService, IDisposable
{
    public const string CurrentVersionPrefix = "kw1:";

    private const int GeneratedKeyBytes = 32;
    // Far more packages than a catalog holds; past it the memory starts again empty rather than growing without bound.
    private const int MaxRemembered = 4096;
    private static readonly int MaxIdleTransforms = 2 * Environment.ProcessorCount;
    private readonly Aes _aes;
    private readonly ConcurrentDictionary<string, byte[]> _unwrapped = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Transforms> _idle = [];

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
        _aes = Aes.Create();
        _aes.Key = masterKey.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
    }

    public string Wrap(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) throw new ArgumentException("There is no key to wrap.", nameof(key));
        var copy = key.ToArray();
        try
        {
            return WrapAll([copy])[0];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(copy);
        }
    }

    public string[] WrapAll(IReadOnlyList<byte[]> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Any(k => k is null || k.Length == 0)) throw new ArgumentException("There is no key to wrap.", nameof(keys));
        var transforms = Rent();
        try
        {
            return Array.ConvertAll(Rfc5649.WrapAll(transforms.Encryptor, keys), w => CurrentVersionPrefix + Convert.ToBase64String(w));
        }
        finally
        {
            Return(transforms);
        }
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

    public byte[] UnwrapOnce(string wrapped)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        return UnwrapNow(wrapped);
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

        var transforms = Rent();
        try
        {
            return Rfc5649.Unwrap(transforms.Decryptor, cipher)
                ?? throw new KeyUnwrapException("The wrapped key failed its integrity check (tampered, or wrapped under another master key).");
        }
        finally
        {
            Return(transforms);
        }
    }

    public byte[] GenerateKey() => RandomNumberGenerator.GetBytes(GeneratedKeyBytes);

    public void Dispose()
    {
        while (_idle.TryTake(out var transforms)) transforms.Dispose();
        _aes.Dispose();
    }

    // A transform serves one thread at a time; ECB keeps no state from one block to the next, so it is reused as it is.
    private Transforms Rent()
    {
        if (_idle.TryTake(out var idle)) return idle;
        lock (_aes) return new Transforms(_aes.CreateEncryptor(), _aes.CreateDecryptor());
    }

    private void Return(Transforms transforms)
    {
        if (_idle.Count < MaxIdleTransforms) _idle.Add(transforms);
        else transforms.Dispose();
    }

    private sealed record Transforms(ICryptoTransform Encryptor, ICryptoTransform Decryptor) : IDisposable
    {
        public void Dispose()
        {
            Encryptor.Dispose();
            Decryptor.Dispose();
        }
    }
}
