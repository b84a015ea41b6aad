using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ota.Simulator;

/// <summary>Reports how far a file's download is: <paramref name="bytesDownloaded"/> of <see cref="PackageFile.Size"/>.</summary>
public delegate Task DownloadProgressReport(PackageFile file, long bytesDownloaded, CancellationToken ct);

/// <summary>
/// One file's download: streamed through a pooled buffer into a SHA-256 (and a file, when asked), resumed after a cut
/// with <c>Range</c> and <c>If-Range</c>, started over when the server sends the whole file instead (it changed), and
/// checked against the description's size and SHA-256 and the server's <c>X-Checksum-Sha256</c>.
/// </summary>
/// <param name="authorization">Sent with every request of the file (a DDI device's <c>TargetToken</c>); null for signed links.</param>
internal sealed class FileTransfer(HttpClient http, PackageFile file, Stream? sink, SimulationSummary summary, TimeSpan stallTimeout,
    AuthenticationHeaderValue? authorization = null) : IDisposable
{
    public const string ChecksumHeader = "X-Checksum-Sha256";
    private const int BufferSize = 64 * 1024;
    private const int ErrorBodyLimit = 8 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _received;
    private EntityTagHeaderValue? _etag;
    private string? _announcedSha256;

    /// <summary>How one request ended.</summary>
    internal enum Ending
    {
        /// <summary>The body arrived whole: check it.</summary>
        Complete,
        /// <summary>The simulator cut the transfer itself (<c>--cut-rate</c>): resume at once.</summary>
        CutOnPurpose,
        /// <summary>The connection broke, stalled or the server failed for now: resume after a pause, within the retries.</summary>
        Broken,
        /// <summary>Nothing to resume: give up with <see cref="Attempt.Failure"/>.</summary>
        Failed,
    }

    internal readonly record struct Attempt(Ending Ending, string Detail = "", DownloadFailure? Failure = null);

    /// <summary>One request: from the start, or from the bytes already held when there are some.</summary>
    public async Task<Attempt> RequestAsync(long? cutAt, DownloadProgressReport progress, CancellationToken ct)
    {
        // Without a strong validator the server cannot tell us whether the rest belongs to the same file.
        if (_received > 0 && _etag is null) StartOver();
        var resuming = _received > 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, file.Url);
        // HttpClient drops it on a redirect to another host (a presigned S3 link), as it should.
        request.Headers.Authorization = authorization;
        if (resuming)
        {
            request.Headers.Range = new RangeHeaderValue(_received, null);
            request.Headers.IfRange = new RangeConditionHeaderValue(_etag!);
        }

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(stallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        }
        catch (HttpRequestException ex)
        {
            ct.ThrowIfCancellationRequested();
            return new Attempt(Ending.Broken, ex.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Attempt(Ending.Broken, $"no answer within {stallTimeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                // The whole file: the first answer, or the server's way of saying the file changed since the cut.
                if (_received > 0) StartOver();
                _etag = response.Headers.ETag is { IsWeak: false } etag ? etag : null;
                await progress(file, 0, ct);
            }
            else if (response.StatusCode == HttpStatusCode.PartialContent && resuming)
            {
                var range = response.Content.Headers.ContentRange;
                if (range?.From != _received)
                {
                    StartOver();
                    return new Attempt(Ending.Broken, $"206 with Content-Range '{range}' for bytes from {_received}");
                }
                summary.TransferResumed();
                await progress(file, _received, ct);
            }
            else if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                StartOver();
                return new Attempt(Ending.Broken, $"416 for bytes from {_received}");
            }
            else if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
            {
                return new Attempt(Ending.Broken, $"HTTP {status}");
            }
            else
            {
                return new Attempt(Ending.Failed, Failure: await RefusalAsync(response, ct));
            }
            if (response.Headers.TryGetValues(ChecksumHeader, out var announced)) _announcedSha256 = announced.FirstOrDefault()?.Trim();
            return await ReadBodyAsync(response, stall, cutAt, ct);
        }
    }

    /// <summary>The received file against the description (and the server's checksum header): null when it matches.</summary>
    public DownloadFailure? Verify()
    {
        if (_received != file.Size)
            return new DownloadFailure(DownloadFailure.SizeMismatch, $"{_received:N0} bytes, the description says {file.Size:N0}");
        var sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (_announcedSha256 is { } announced && !string.Equals(announced, sha256, StringComparison.OrdinalIgnoreCase))
            return new DownloadFailure(DownloadFailure.Sha256Mismatch, $"SHA-256 {sha256}, the server's {ChecksumHeader} says {announced}");
        if (!string.Equals(file.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
            return new DownloadFailure(DownloadFailure.Sha256Mismatch, $"SHA-256 {sha256}, the description says {file.Sha256}");
        return null;
    }

    public long Received => _received;

    public void Dispose() => _hash.Dispose();

    private async Task<Attempt> ReadBodyAsync(HttpResponseMessage response, CancellationTokenSource stall, long? cutAt, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            while (true)
            {
                var want = buffer.Length;
                if (cutAt is { } cut)
                {
                    // Leaving the rest unread and disposing the response aborts the transfer, as a lost connection would.
                    if (_received >= cut) return new Attempt(Ending.CutOnPurpose, $"cut at byte {_received:N0}");
                    want = (int)Math.Min(want, cut - _received);
                }
                stall.CancelAfter(stallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, want), stall.Token);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    // A cancel notice may surface as a torn connection too; it stops the vehicle rather than resuming.
                    ct.ThrowIfCancellationRequested();
                    return new Attempt(Ending.Broken, $"cut at byte {_received:N0}: {ex.Message}");
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return new Attempt(Ending.Broken, $"stalled at byte {_received:N0} for {stallTimeout.TotalSeconds:0} s");
                }
                if (read == 0) return new Attempt(Ending.Complete);
                _received += read;
                summary.BytesReceived(read);
                _hash.AppendData(buffer, 0, read);
                if (sink is not null) await sink.WriteAsync(buffer.AsMemory(0, read), ct);
                // A bigger file than described is wrong however it ends; no need to fetch the rest of it.
                if (_received > file.Size)
                    return new Attempt(Ending.Failed, Failure: new DownloadFailure(DownloadFailure.SizeMismatch, $"more than the {file.Size:N0} bytes the description says"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void StartOver()
    {
        _received = 0;
        _etag = null;
        _announcedSha256 = null;
        _hash.GetHashAndReset();
        if (sink is not null)
        {
            sink.SetLength(0);
            sink.Position = 0;
        }
    }

    /// <summary>The inner error code of an answer asking again will not change (SPEC §13's problem codes, an expired S3 link).</summary>
    private static async Task<DownloadFailure> RefusalAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var text = await ReadLimitedAsync(response.Content, ct);
        var code = ProblemCode(text);
        var inner = code switch
        {
            "LINK_EXPIRED" => DownloadFailure.LinkExpired,
            "LINK_INVALID" => DownloadFailure.LinkInvalid,
            // S3's own answer to a presigned URL past its lifetime.
            _ when status == 403 && text.Contains("Request has expired", StringComparison.OrdinalIgnoreCase) => DownloadFailure.LinkExpired,
            _ => DownloadFailure.Http(status),
        };
        return new DownloadFailure(inner, $"HTTP {status}{(code is null ? "" : $" {code}")}");
    }

    private static string? ProblemCode(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken ct)
    {
        var buffer = new byte[ErrorBodyLimit];
        await using var stream = await content.ReadAsStreamAsync(ct);
        var total = 0;
        int read;
        try
        {
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        }
        catch (IOException)
        {
            // The code is a courtesy; the status alone still says what happened.
            return "";
        }
        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
