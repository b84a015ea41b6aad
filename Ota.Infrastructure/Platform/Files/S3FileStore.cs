using System.Net;
using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.S3;
using Amazon.S3.Model;

namespace Ota.Infrastructure.Platform.Files;

/// <summary>
/// Package files as objects in one bucket of an S3-compatible store (AWS S3, MinIO, Ceph RGW, s3rver). A put sends the
/// staged file in parts read straight from disk, so memory does not grow with the file; vehicles download through
/// presigned GETs. The bucket is created at first use when it is missing.
/// </summary>
public sealed class S3FileStore : IFileStore, IDisposable
{
    /// <summary>Files up to this size go up in one request; bigger ones in parts of this size (more when 10,000 would not do).</summary>
    private const long PartSize = 16L << 20;
    private const int MaxParts = 10_000;
    private const int PartsInFlight = 4;

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _endpoint;
    private readonly bool _https;
    private readonly SemaphoreSlim _bucketCheck = new(1, 1);
    private volatile bool _bucketReady;

    public S3FileStore(S3StoreOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Bucket);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.AccessKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.SecretKey);
        _bucket = options.Bucket;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Trailing checksums need aws-chunked bodies, which s3rver and older S3-compatible stores do not decode.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            _endpoint = $"AWS S3 ({options.Region})";
            _https = true;
        }
        else
        {
            var url = new Uri(options.ServiceUrl, UriKind.Absolute);
            _https = url.Scheme == Uri.UriSchemeHttps;
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region;
            config.UseHttp = !_https;
            _endpoint = url.GetLeftPart(UriPartial.Authority);
        }
        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public string Provider => nameof(FileStoreProvider.S3);

    public async Task PutAsync(string key, string sourcePath, CancellationToken ct)
    {
        FileKeys.Check(key);
        await EnsureBucketAsync(ct);
        var size = new FileInfo(sourcePath).Length;
        if (size <= PartSize)
        {
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket, Key = key, FilePath = sourcePath,
                UseChunkEncoding = false, DisablePayloadSigning = UnsignedPayload,
            }, ct);
            return;
        }
        await PutInPartsAsync(key, sourcePath, size, ct);
    }

    /// <summary>
    /// A multipart upload, each part read from its place in the file. Not TransferUtility: it cannot turn the SDK's
    /// aws-chunked bodies off, and s3rver (like other S3-compatible stores) would keep the chunk framing as content.
    /// </summary>
    private async Task PutInPartsAsync(string key, string sourcePath, long size, CancellationToken ct)
    {
        const long MiB = 1 << 20;
        var partSize = Math.Max(PartSize, (size + MaxParts * MiB - 1) / (MaxParts * MiB) * MiB);
        var count = (int)((size + partSize - 1) / partSize);
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct);
        try
        {
            var parts = new PartETag[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = PartsInFlight, CancellationToken = ct }, async (i, token) =>
                {
                    var position = i * partSize;
                    var response = await _client.UploadPartAsync(new UploadPartRequest
                    {
                        BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = i + 1,
                        FilePath = sourcePath, FilePosition = position, PartSize = Math.Min(partSize, size - position),
                        UseChunkEncoding = false, DisablePayloadSigning = UnsignedPayload,
                    }, token);
                    parts[i] = new PartETag(i + 1, response.ETag);
                });
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = [.. parts],
            }, ct);
        }
        catch (Exception failure)
        {
            // The parts of an unfinished upload are kept (and billed) until it is aborted.
            try
            {
                var abort = new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = upload.UploadId };
                await _client.AbortMultipartUploadAsync(abort, CancellationToken.None);
            }
            catch (Exception abortFailure)
            {
                throw new AggregateException($"Storing {key} failed, and so did aborting its multipart upload.", failure, abortFailure);
            }
            throw;
        }
    }

    /// <summary>
    /// Over HTTPS the payload is sent unsigned (TLS guards it, and the file was hashed when it was staged); over plain HTTP
    /// the SDK hashes each request's body, as it must.
    /// </summary>
    private bool? UnsignedPayload => _https ? true : null;

    public async Task<long?> SizeAsync(string key, CancellationToken ct)
    {
        FileKeys.Check(key);
        await EnsureBucketAsync(ct);
        try
        {
            var metadata = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, ct);
            return metadata.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, long offset, CancellationToken ct)
    {
        FileKeys.Check(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        await EnsureBucketAsync(ct);
        var request = new GetObjectRequest { BucketName = _bucket, Key = key };
        if (offset > 0) request.ByteRange = new ByteRange($"bytes={offset}-");
        try
        {
            // The response stream holds the HTTP response; disposing it ends the request.
            var response = await _client.GetObjectAsync(request, ct);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"No stored file {key} in bucket {_bucket}.", key, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The object is there but ends before the offset: nothing is left to read, as from a local file's end.
            return new MemoryStream([], writable: false);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        FileKeys.Check(key);
        await EnsureBucketAsync(ct);
        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, ct);
        }
        catch (AmazonServiceException e)
        {
            // A refusal (AccessDenied, SlowDown, NoSuchBucket…) reaches callers as a folder's would: the object stays.
            throw new IOException(
                $"The S3 store at {_endpoint} did not delete {key} from bucket '{_bucket}' ({e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}).", e);
        }
    }

    public Uri? PresignedGet(string key, TimeSpan lifetime, string downloadName)
    {
        FileKeys.Check(key);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket, Key = key, Verb = HttpVerb.GET, Protocol = _https ? Protocol.HTTPS : Protocol.HTTP,
        };
        request.ResponseHeaderOverrides.ContentDisposition = Attachment(downloadName);
        // The SDK makes X-Amz-Expires from Expires minus its clock corrected by the skew it learns from every answer's
        // Date header, to the whole second, per endpoint: counted from DateTime.UtcNow the link would say a second more
        // than the lifetime about half the time. Counted from that same corrected clock it says the lifetime.
        var endpoint = _client.Config.DetermineServiceOperationEndpoint(new ServiceOperationEndpointParameters(request)).URL;
        request.Expires = CorrectClockSkew.GetCorrectedUtcNowForEndpoint(endpoint) + lifetime;
        return new Uri(_client.GetPreSignedURL(request));
    }

    public string? LocalPath(string key)
    {
        FileKeys.Check(key);
        return null;
    }

    /// <summary><c>attachment; filename=…</c>, with an RFC 5987 <c>filename*</c> as well when the name is not plain ASCII.</summary>
    internal static string Attachment(string downloadName)
    {
        var plain = new string(downloadName.Select(c => char.IsAscii(c) && !char.IsControl(c) && c is not ('"' or '\\') ? c : '_').ToArray());
        var value = new ContentDispositionHeaderValue("attachment") { FileName = plain.Length > 0 ? plain : "download" };
        if (plain != downloadName) value.FileNameStar = downloadName;
        return value.ToString();
    }

    /// <summary>Makes sure the bucket is there, creating it when it is missing; once per process, again after a failure.</summary>
    private async Task EnsureBucketAsync(CancellationToken ct)
    {
        if (_bucketReady) return;
        await _bucketCheck.WaitAsync(ct);
        try
        {
            if (_bucketReady) return;
            if (!await BucketExistsAsync(ct)) await CreateBucketAsync(ct);
            _bucketReady = true;
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            throw new InvalidOperationException(
                $"The S3 bucket '{_bucket}' at {_endpoint} cannot be used: it is missing and could not be created, or these keys may not " +
                $"use it ({(e as AmazonServiceException)?.ErrorCode ?? e.GetType().Name}: {e.Message}). Check Files__S3__ServiceUrl, " +
                "Files__S3__Bucket, Files__S3__AccessKey and Files__S3__SecretKey, or create the bucket.", e);
        }
        finally
        {
            _bucketCheck.Release();
        }
    }

    private async Task<bool> BucketExistsAsync(CancellationToken ct)
    {
        try
        {
            await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task CreateBucketAsync(CancellationToken ct)
    {
        try
        {
            await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another instance made it meanwhile (s3rver says BucketAlreadyExists even to its owner); a bucket that
            // someone else owns answers the HEAD with 403, which is an error.
            if (!await BucketExistsAsync(ct)) throw;
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _bucketCheck.Dispose();
    }
}
