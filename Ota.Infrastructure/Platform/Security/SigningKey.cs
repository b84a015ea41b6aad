namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// A key the product signs notices and package descriptions with (SPEC §15). One key at a time is active (it signs);
/// every key not retired is published at <c>GET /api/vehicle/v1/signing-keys</c>, so what an older key signed still
/// verifies during a rotation.
/// </summary>
public class SigningKey
{
    public const string Ed25519 = "Ed25519";

    /// <summary>The value of <see cref="ActiveSlot"/> of the active key; a unique index lets one row hold it.</summary>
    public const byte ActiveMarker = 1;

    public long Id { get; set; }

    /// <summary>16 lower-case hex digits of the SHA-256 of <see cref="PublicKey"/>: what notices and answers name the key by.</summary>
    public string KeyId { get; set; } = "";

    public string Algorithm { get; set; } = Ed25519;

    /// <summary>The raw public key (32 bytes for Ed25519).</summary>
    public byte[] PublicKey { get; set; } = [];

    /// <summary>The raw private key wrapped by the key service (<c>kw1:</c>…); never stored in clear.</summary>
    public string WrappedKey { get; set; } = "";

    /// <summary><see cref="ActiveMarker"/> on the active key, null on every other: the database allows one active key.</summary>
    public byte? ActiveSlot { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When it became the signing key (kept after a rotation replaced it).</summary>
    public DateTime? ActivatedAt { get; set; }

    /// <summary>When it stopped being published; what it signed no longer verifies.</summary>
    public DateTime? RetiredAt { get; set; }

    public bool IsActive => ActiveSlot == ActiveMarker;
}
