using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Ota.Infrastructure.Platform.Keys;

/// <summary>
/// AES key wrap with padding (RFC 5649) over an AES-ECB transform the caller keeps. The same bytes as
/// <see cref="SymmetricAlgorithm.EncryptKeyWrapPadded(ReadOnlySpan{byte})"/>, which sets up the cipher again for each of
/// the 6·n block operations (16 µs for a 32-byte key on the loaded 2-core test machine): one transform, and the blocks
/// of many keys in one call (<see cref="WrapAll"/>), make it 2 µs, and the demo world and the benchmarks wrap a vehicle
/// secret per vehicle, a million at a time.
/// </summary>
internal static class Rfc5649
{
    private const uint AlternativeIv = 0xA65959A6;

    /// <summary>
    /// The wrap of each key, in their order. Keys of the same length in semiblocks are wrapped in step: each of the 6·n
    /// steps is one call of the cipher over a block of every one of them, so the cost of a call is shared by them all.
    /// </summary>
    /// <param name="encryptor">AES-ECB without padding, under the key-encryption key.</param>
    public static byte[][] WrapAll(ICryptoTransform encryptor, IReadOnlyList<byte[]> keys)
    {
        var wrapped = new byte[keys.Count][];
        foreach (var sameLength in Enumerable.Range(0, keys.Count).GroupBy(k => (keys[k].Length + 7) / 8))
        {
            var n = sameLength.Key;
            var members = sameLength.ToArray();
            // Each output starts as the integrity value A and the padded key R[1..n], and is worked on in place.
            var outputs = new byte[members.Length][];
            for (var k = 0; k < members.Length; k++)
            {
                var key = keys[members[k]];
                var output = outputs[k] = new byte[8 * (n + 1)];
                BinaryPrimitives.WriteUInt32BigEndian(output, AlternativeIv);
                BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(4), (uint)key.Length);
                key.CopyTo(output, 8);
                wrapped[members[k]] = output;
            }
            var blocks = new byte[16 * members.Length];
            try
            {
                if (n == 1)
                {
                    // One semiblock: a single AES block of the integrity value and the padded key (RFC 5649 §4.1).
                    for (var k = 0; k < outputs.Length; k++) outputs[k].CopyTo(blocks, 16 * k);
                    encryptor.TransformBlock(blocks, 0, blocks.Length, blocks, 0);
                    for (var k = 0; k < outputs.Length; k++) blocks.AsSpan(16 * k, 16).CopyTo(outputs[k]);
                    continue;
                }
                // RFC 3394's W with the alternative initial value: output[0..8] is A, output[8i..8i+8] is R[i].
                for (var j = 0; j < 6; j++)
                {
                    for (var i = 1; i <= n; i++)
                    {
                        for (var k = 0; k < outputs.Length; k++)
                        {
                            outputs[k].AsSpan(0, 8).CopyTo(blocks.AsSpan(16 * k));
                            outputs[k].AsSpan(8 * i, 8).CopyTo(blocks.AsSpan(16 * k + 8));
                        }
                        encryptor.TransformBlock(blocks, 0, blocks.Length, blocks, 0);
                        var t = (ulong)(n * j + i);
                        for (var k = 0; k < outputs.Length; k++)
                        {
                            BinaryPrimitives.WriteUInt64BigEndian(outputs[k], BinaryPrimitives.ReadUInt64BigEndian(blocks.AsSpan(16 * k)) ^ t);
                            blocks.AsSpan(16 * k + 8, 8).CopyTo(outputs[k].AsSpan(8 * i));
                        }
                    }
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(blocks);
            }
        }
        return wrapped;
    }

    /// <summary>The key, or null when <paramref name="wrapped"/> fails the integrity check.</summary>
    /// <param name="decryptor">AES-ECB without padding, under the key-encryption key.</param>
    /// <param name="wrapped">A multiple of 8 bytes, at least 16.</param>
    public static byte[]? Unwrap(ICryptoTransform decryptor, ReadOnlySpan<byte> wrapped)
    {
        var n = wrapped.Length / 8 - 1;
        var work = wrapped.ToArray();
        var block = new byte[16];
        try
        {
            if (n == 1)
            {
                decryptor.TransformBlock(work, 0, 16, work, 0);
            }
            else
            {
                for (var j = 5; j >= 0; j--)
                {
                    for (var i = n; i >= 1; i--)
                    {
                        var t = (ulong)(n * j + i);
                        BinaryPrimitives.WriteUInt64BigEndian(block, BinaryPrimitives.ReadUInt64BigEndian(work) ^ t);
                        work.AsSpan(8 * i, 8).CopyTo(block.AsSpan(8));
                        decryptor.TransformBlock(block, 0, 16, block, 0);
                        block.AsSpan(0, 8).CopyTo(work);
                        block.AsSpan(8, 8).CopyTo(work.AsSpan(8 * i));
                    }
                }
            }
            // RFC 5649 §3: the integrity value, a length within the last semiblock, and zero padding after it.
            var length = BinaryPrimitives.ReadUInt32BigEndian(work.AsSpan(4));
            var valid = BinaryPrimitives.ReadUInt32BigEndian(work) == AlternativeIv && length > 8 * (n - 1) && length <= 8 * n;
            if (!valid) return null;
            var padding = work.AsSpan(8 + (int)length);
            if (padding.ContainsAnyExcept((byte)0)) return null;
            return work.AsSpan(8, (int)length).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(work);
            CryptographicOperations.ZeroMemory(block);
        }
    }
}
