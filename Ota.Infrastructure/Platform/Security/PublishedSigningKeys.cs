using System.Text.Json.Serialization;

namespace Ota.Infrastructure.Platform.Security;

/// <summary>The answer of <c>GET /api/vehicle/v1/signing-keys</c>: every key not retired, the one signing now flagged.</summary>
public sealed record PublishedSigningKeys(IReadOnlyList<PublishedSigningKey> Keys);

/// <param name="KeyId">What notices (<c>keyId</c>) and descriptions (<c>X-Ota-Key-Id</c>) name the key by.</param>
/// <param name="Algorithm">Ed25519.</param>
/// <param name="PublicKey">The raw public key (32 bytes), base64.</param>
/// <param name="Active">Whether it signs what is sent now; the others still verify what they signed.</param>
/// <param name="CreatedAt">UTC.</param>
public sealed record PublishedSigningKey(string KeyId, string Algorithm, string PublicKey, bool Active, DateTime CreatedAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PublishedSigningKeys))]
public sealed partial class SigningKeyJsonContext : JsonSerializerContext;
