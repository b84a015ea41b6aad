namespace Ota.Infrastructure.Platform.Keys;

/// <summary>
/// Protects keys at rest (package keys, vehicle secrets): they are stored wrapped and unwrapped only when used.
/// </summary>
public interface IKeyService
{
    /// <summary>Wraps a key under the master key; the result carries a version prefix (for example <c>kw1:</c>).</summary>
    string Wrap(ReadOnlySpan<byte> key);

    /// <summary>
    /// <see cref="Wrap"/> of each key, in their order, sharing the AES work among them: a million vehicle secrets take
    /// seconds rather than a minute.
    /// </summary>
    string[] WrapAll(IReadOnlyList<byte[]> keys);

    /// <summary>Recovers a key produced by <see cref="Wrap"/>.</summary>
    /// <exception cref="KeyUnwrapException">The value is malformed, of an unknown version, or fails its integrity check.</exception>
    byte[] Unwrap(string wrapped);

    /// <summary>
    /// As <see cref="Unwrap"/>, but the key is not remembered: for values as many as the vehicles (their secrets), which
    /// would crowd the few package keys out of that memory.
    /// </summary>
    /// <exception cref="KeyUnwrapException">The value is malformed, of an unknown version, or fails its integrity check.</exception>
    byte[] UnwrapOnce(string wrapped);

    /// <summary>A fresh random 256-bit key for a package.</summary>
    byte[] GenerateKey();
}
