using NSec.Cryptography;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Testing;

/// <summary>An Ed25519 key of a test's own: what a stand-in server signs with, or what a forger signs with under any key id.</summary>
public sealed class TestSigningKey
{
    private TestSigningKey(ActiveSigningKey key, PublishedSigningKey published) => (Key, Published) = (key, published);

    public ActiveSigningKey Key { get; }

    /// <summary>The key as the signing-keys endpoint would publish it.</summary>
    public PublishedSigningKey Published { get; }

    /// <param name="keyId">The id it claims; by default its own (derived from its public key as the product derives it).</param>
    public static TestSigningKey Create(string? keyId = null)
    {
        var key = NSec.Cryptography.Key.Create(SignatureAlgorithm.Ed25519);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        keyId ??= SigningKeys.KeyIdOf(publicKey);
        return new TestSigningKey(new ActiveSigningKey(keyId, key),
            new PublishedSigningKey(keyId, SigningKey.Ed25519, Convert.ToBase64String(publicKey), true, DateTime.UtcNow));
    }
}
