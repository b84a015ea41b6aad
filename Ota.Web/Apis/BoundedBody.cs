namespace Ota.Web.Apis;

/// <summary>Bodies the APIs read whole before parsing (signed vehicle calls, DDI feedback), held to a limit.</summary>
internal static class BoundedBody
{
    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> (the rest is then not read).</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        var buffer = new byte[request.ContentLength is { } known ? (int)known : Math.Min(limit + 1, 8192)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit) return null;
                Array.Resize(ref buffer, Math.Min(Math.Max(buffer.Length * 2, 1024), limit + 1));
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) break;
            length += read;
            if (length > limit) return null;
        }
        return buffer.AsMemory(0, length);
    }
}
