namespace Ota.Domain.Vehicles.Packages;

/// <summary>The symmetric key of an encrypted package, in clear, for the vehicle to decrypt the files it downloads.</summary>
/// <param name="Key">Base64 of the unwrapped key.</param>
public sealed record PackageEncryption(string Algorithm, string Key)
{
    /// <summary>
    /// Names the algorithm from the key length. Package files are encrypted with AES in GCM mode:
    /// authenticated, so a vehicle holding the key also detects a tampered or truncated file, and
    /// supported by .NET (AesGcm) and the embedded crypto libraries vehicles ship. The package builder
    /// must use the same algorithm; this name is the contract with the vehicle, not a choice made per request.
    /// </summary>
    public static PackageEncryption ForKey(ReadOnlySpan<byte> unwrappedKey) => new(
        unwrappedKey.Length switch
        {
            16 => "AES-128-GCM",
            24 => "AES-192-GCM",
            32 => "AES-256-GCM",
            _ => throw new ArgumentException(
                $"A package key must be 16, 24 or 32 bytes long, not {unwrappedKey.Length}.", nameof(unwrappedKey)),
        },
        Convert.ToBase64String(unwrappedKey));
}
