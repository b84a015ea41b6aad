namespace Ota.Infrastructure.Platform.Keys;

/// <summary>
/// Protects package symmetric keys at rest: they are stored wrapped and unwrapped only when a vehicle is served.
/// </summary>
public interface IKeyService
{
    /// <summary>Wraps a key under the master key; the result carries a version prefix (for example <c>kw1:</c>).</summary>
    string Wrap(ReadOnlySpan<byte> key);

    /// <summary>Recovers a key produced by <see cref="Wrap"/>.</summary>
    /// <exception cref="KeyUnwrapException">The value is malformed, of an unknown version, or fails its integrity check.</exception>
    byte[] Unwrap(string wrapped);

    /// <summary>A fresh random 256-bit key for a package.</summary>
    byte[] GenerateKey();
}
