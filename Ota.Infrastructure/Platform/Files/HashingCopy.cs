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
/// ones), in buffers of 1 MiB, a few in flight: memory stays flat whatever the size. The hashes run beside the write, on
/// the thread pool, while the next buffers are read, so a large upload is bound by the slowest hash, not by their sum.
/// </summary>
public static class HashingCopy
{
    private const int BufferBytes = 1 << 20;

    /// <summary>Buffers in flight: while one is read, the ones before it are still being written and hashed.</summary>
    private const int Depth = 4;

    public static async Task<FileDigests> ToFileAsync(Stream source, string path, long maxBytes, CancellationToken ct)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffers = Enumerable.Range(0, Depth).Select(_ => ArrayPool<byte>.Shared.Rent(BufferBytes)).ToArray();
        // What still uses each buffer, and the three chains (the write, and two hashing chains of about equal cost: MD5
        // alone is about as slow as SHA-1 and SHA-256 together where the CPU has SHA instructions); each chain takes its
        // chunks in order.
        var inUse = Enumerable.Repeat(Task.CompletedTask, Depth).ToArray();
        Task writes = Task.CompletedTask, hashesA = Task.CompletedTask, hashesB = Task.CompletedTask, syncing = Task.CompletedTask;
        long size = 0, syncedAt = 0;
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        try
        {
            for (var turn = 0; ; turn = (turn + 1) % Depth)
            {
                await inUse[turn];
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
                if (filled == 0) break;
                size += filled;
                if (size > maxBytes) throw new FileTooLargeException(maxBytes);
                var chunk = new ReadOnlyMemory<byte>(buffer, 0, filled);
                writes = WriteAfterAsync(writes, file, chunk, ct);
                hashesA = AfterAsync(hashesA, () =>
                {
                    sha256.AppendData(chunk.Span);
                    sha1.AppendData(chunk.Span);
                });
                hashesB = AfterAsync(hashesB, () => md5.AppendData(chunk.Span));
                inUse[turn] = Task.WhenAll(writes, hashesA, hashesB);
                // What is written goes to the disk as the upload goes on, so the fsync before keeping it has little left.
                if (size - syncedAt >= SyncEvery && syncing.IsCompleted)
                {
                    syncing = SyncAfterAsync(writes, file, syncedAt, size);
                    syncedAt = size;
                }
            }
            await Task.WhenAll(writes, hashesA, hashesB, syncing);
            // On the disk before it is kept: a recorded file must survive a power loss whole.
            file.Flush(flushToDisk: true);
        }
        finally
        {
            // A failure must not leave a write or hash still using the file or a buffer that goes back to the pool.
            await Task.WhenAny(Task.WhenAll(writes, hashesA, hashesB, syncing));
            await file.DisposeAsync();
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
        return new FileDigests(size, Hex(sha256), Hex(sha1), Hex(md5));
    }

    private static async Task WriteAfterAsync(Task before, FileStream file, ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        await before;
        await file.WriteAsync(chunk, ct);
    }

    private const long SyncEvery = 128L << 20;

    private static async Task SyncAfterAsync(Task writes, FileStream file, long from, long to)
    {
        await writes;
        await Task.Run(() => WriteBack.Start(file.SafeFileHandle, from, to));
    }

    private static async Task AfterAsync(Task before, Action work)
    {
        await before;
        await Task.Run(work);
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
