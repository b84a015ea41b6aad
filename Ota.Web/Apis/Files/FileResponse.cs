using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Ota.Web.Apis.Files;

/// <summary>
/// Sends a stored file as a download (RFC 9110): the whole file (200), one byte range (206, with If-Range checked against
/// the strong ETag), 416 for a range past the end, headers only for HEAD. The bytes are read from the file straight into
/// the response's own buffers in blocks of 256 KiB, without an intermediate copy and without holding the file in memory
/// (Kestrel has no sendfile), under <see cref="SendSlots"/> at once for all downloads together
/// (docs/performance.md: blocks of 64 KiB gave half the throughput, and unbounded blocks in flight twice the memory).
/// Several ranges in one request are answered with the whole file, which RFC 9110 allows.
/// </summary>
internal static class FileResponse
{
    private const int BlockBytes = 256 * 1024;

    public static async Task SendAsync(HttpContext http, string path, string fileName, string sha256)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
        var length = RandomAccess.GetLength(handle);
        var request = http.Request;
        var response = http.Response;
        var etag = $"\"{sha256}\"";
        response.Headers.ETag = etag;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName }.ToString();
        response.ContentType = "application/octet-stream";

        if (request.Headers.IfNoneMatch.ToString() is { Length: > 0 } noneMatch && (noneMatch == "*" || noneMatch.Split(',').Any(t => t.Trim() == etag)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var (offset, count) = (0L, length);
        if (RangeOf(request, etag, length) is { } range)
        {
            if (range.Unsatisfiable)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{length.ToString(CultureInfo.InvariantCulture)}";
                return;
            }
            (offset, count) = (range.From, range.To - range.From + 1);
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = FormattableString.Invariant($"bytes {range.From}-{range.To}/{length}");
        }
        response.ContentLength = count;
        if (HttpMethods.IsHead(request.Method) || count == 0) return;

        var writer = response.BodyWriter;
        var ct = http.RequestAborted;
        var slot = new SendSlots.Holder();
        while (count > 0)
        {
            // A block is taken, filled and handed to the socket under one of a few slots (SendSlots).
            await SendSlots.TakeAsync(slot, ct);
            try
            {
                var memory = writer.GetMemory((int)Math.Min(BlockBytes, count));
                var block = memory[..(int)Math.Min(memory.Length, count)];
                var read = await RandomAccess.ReadAsync(handle, block, offset, ct);
                if (read == 0) throw new IOException($"The file ended {count:N0} bytes early.");
                writer.Advance(read);
                offset += read;
                count -= read;
                var flushed = await writer.FlushAsync(ct);
                if (flushed.IsCanceled || flushed.IsCompleted) return;
            }
            finally
            {
                SendSlots.Give(slot);
            }
        }
    }

    private readonly record struct ByteRange(long From, long To, bool Unsatisfiable);

    /// <summary>The single range asked for, when it applies (If-Range matches); null to send the whole file.</summary>
    private static ByteRange? RangeOf(HttpRequest request, string etag, long length)
    {
        var header = request.Headers.Range.ToString();
        if (header.Length == 0 || !RangeHeaderValue.TryParse(header, out var parsed) || parsed.Unit != "bytes" || parsed.Ranges.Count != 1) return null;
        // If-Range: a range of this very file only; a date or another tag means it changed, so the whole file.
        if (request.Headers.IfRange.ToString() is { Length: > 0 } ifRange && ifRange.Trim() != etag) return null;
        var item = parsed.Ranges.Single();
        long from, to;
        if (item.From is null)
        {
            // The last N bytes.
            if (item.To is not { } suffix || suffix == 0) return new ByteRange(0, 0, true);
            from = Math.Max(0, length - suffix);
            to = length - 1;
        }
        else
        {
            from = item.From.Value;
            to = Math.Min(item.To ?? length - 1, length - 1);
        }
        return from >= length || from > to ? new ByteRange(0, 0, true) : new ByteRange(from, to, false);
    }
}
