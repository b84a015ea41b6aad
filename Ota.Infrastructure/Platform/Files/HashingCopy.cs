using System.Buffers;
using System.Security.Cryptography;

namespace Ota.Infrastructure.Platform.Files;

/// <summary>A file's size and digests (lower-case hex), as computed while it arrived.</summary>
public sealed record FileDigests(long Size, string Sha256, string Sha1, string Md5);

/// <summary>The upload went over the size limit; nothing of it is kept.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The file is larger than the limit of {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>Reading the source failed (the sender went away, the body ended early): nothing of the upload is kept.</summary>
public sealed class UploadSourceException(Exception inner) : Exception("The upload's body could not be read to its end.", inner);

/// <summary>
/// Copies a stream to a new local file while computing its size, SHA-256, SHA-1 and MD5 (device clients check different
/// ones), in buffers of 1 MiB: memory stays flat whatever the size. Each buffer's hashes run beside its write, on the
/// thread pool, while the next buffer is read, so a large upload is bound by the slowest hash, not by their sum.
/// </summary>
public static class HashingCopy
{
    private const int BufferBytes = 1 << 20;

    public static async Task<FileDigests> ToFileAsync(Stream source, string path, long maxBytes, CancellationToken ct)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffers = new[] { ArrayPool<byte>.Shared.Rent(BufferBytes), ArrayPool<byte>.Shared.Rent(BufferBytes) };
        long size = 0;
        Task pending = Task.CompletedTask;
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        try
        {
            for (var turn = 0; ; turn ^= 1)
            {
                var buffer = buffers[turn];
                int filled;
                try
                {
                    filled = await FillAsync(source, buffer, ct);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
                {
                    throw new UploadSourceException(e);
                }
                await pending;
                if (filled == 0) break;
                size += filled;
                if (size > maxBytes) throw new FileTooLargeException(maxBytes);
                var chunk = new ReadOnlyMemory<byte>(buffer, 0, filled);
                // Two hashing tasks of about equal cost (MD5 alone is about as slow as SHA-1 and SHA-256 together, where the
                // CPU has SHA instructions), so two cores keep pace with each other.
                pending = Task.WhenAll(
                    file.WriteAsync(chunk, ct).AsTask(),
                    Task.Run(() =>
                    {
                        sha256.AppendData(chunk.Span);
                        sha1.AppendData(chunk.Span);
                    }, ct),
                    Task.Run(() => md5.AppendData(chunk.Span), ct));
            }
            // On the disk before it is kept: a recorded file must survive a power loss whole.
            file.Flush(flushToDisk: true);
        }
        finally
        {
            // A failed read must not leave a write or hash still using the file or a buffer that goes back to the pool.
            await Task.WhenAny(pending);
            await file.DisposeAsync();
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
        return new FileDigests(size, Hex(sha256), Hex(sha1), Hex(md5));
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }

    private static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
