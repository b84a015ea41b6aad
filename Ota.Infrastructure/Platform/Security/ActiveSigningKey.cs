using NSec.Cryptography;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>The key that signs now (<see cref="SigningKeys"/>): its id, and its private half, unwrapped once and kept in memory.</summary>
public sealed class ActiveSigningKey
{
    /// <summary>Bytes of an Ed25519 signature.</summary>
    public const int SignatureBytes = 64;

    private readonly Key _key;

    internal ActiveSigningKey(string keyId, Key key)
    {
        KeyId = keyId;
        _key = key;
    }

    public string KeyId { get; }

    /// <summary>Signs <paramref name="data"/> into <paramref name="signature"/> (<see cref="SignatureBytes"/> long); allocates nothing.</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature) => SignatureAlgorithm.Ed25519.Sign(_key, data, signature);

    /// <summary>The signature of <paramref name="data"/> in base64, as notices and answers carry it.</summary>
    public string Sign(ReadOnlySpan<byte> data)
    {
        Span<byte> signature = stackalloc byte[SignatureBytes];
        Sign(data, signature);
        return Convert.ToBase64String(signature);
    }
}
