using NSec.Cryptography;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>A published public key, as a vehicle (or the simulator) holds it to check what the product signed.</summary>
public sealed class VerifyingKey
{
    private readonly PublicKey _key;

    private VerifyingKey(string keyId, PublicKey key)
    {
        KeyId = keyId;
        _key = key;
    }

    public string KeyId { get; }

    /// <summary>The key of an entry of <c>GET /api/vehicle/v1/signing-keys</c>; null when it is no Ed25519 key this code knows.</summary>
    public static VerifyingKey? From(PublishedSigningKey published)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (published.Algorithm != SigningKey.Ed25519) return null;
        Span<byte> raw = stackalloc byte[64];
        if (!Convert.TryFromBase64String(published.PublicKey, raw, out var length)) return null;
        return PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw[..length], KeyBlobFormat.RawPublicKey, out var key) && key is not null
            ? new VerifyingKey(published.KeyId, key)
            : null;
    }

    /// <summary>Whether <paramref name="signature"/> (base64) is this key's signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, string? signature)
    {
        if (signature is null) return false;
        Span<byte> bytes = stackalloc byte[ActiveSigningKey.SignatureBytes + 3];
        return Convert.TryFromBase64String(signature, bytes, out var length) && length == ActiveSigningKey.SignatureBytes
            && SignatureAlgorithm.Ed25519.Verify(_key, data, bytes[..length]);
    }
}
