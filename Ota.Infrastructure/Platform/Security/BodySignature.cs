namespace Ota.Infrastructure.Platform.Security;

/// <summary>
/// How an answer a vehicle acts on (the package description, SPEC §15) is signed: Ed25519 over the exact bytes of the
/// body (<see cref="ActiveSigningKey.Sign(ReadOnlySpan{byte})"/>), in two headers. A vehicle checks it over the bytes
/// it received (<see cref="VerifyingKey.Verify"/>), before it parses them.
/// </summary>
public static class BodySignature
{
    public const string KeyIdHeader = "X-Ota-Key-Id";

    /// <summary>Base64 of the Ed25519 signature of the raw body.</summary>
    public const string SignatureHeader = "X-Ota-Body-Signature";
}
