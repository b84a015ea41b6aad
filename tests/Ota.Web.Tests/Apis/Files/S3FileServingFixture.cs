using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Ota.Testing;

namespace Ota.Web.Tests.Apis.Files;

/// <summary>
/// The app on a real Kestrel socket with <c>Files:Provider=S3</c>, on the s3rver that <c>./ota test</c> starts
/// (<c>OTA_TEST_S3_URL</c>), in a bucket of this fixture's own: the store creates it at first use, the fixture empties and
/// removes it at the end. The link lifetime is not the default, so a presigned link is seen to take its expiry from
/// <c>Files:LinkLifetime</c>; a plain S3 client looks into the bucket behind the app's back.
/// </summary>
public class S3FileServingFixture : AppFixture
{
    /// <summary>s3rver's built-in access key and secret.</summary>
    public const string S3rverKey = "S3RVER";

    public string Bucket { get; } = $"ota-web-{Guid.NewGuid():N}";

    public virtual TimeSpan LinkLifetime => TimeSpan.FromMinutes(17);

    /// <summary>Where the s3rver is, without a trailing slash: presigned links start with it.</summary>
    public string S3Url { get; } = TestEnvironment.S3.TrimEnd('/');

    public string BaseUrl { get; private set; } = "";

    public AmazonS3Client S3 { get; } = new(new BasicAWSCredentials(S3rverKey, S3rverKey),
        new AmazonS3Config { ServiceURL = TestEnvironment.S3, ForcePathStyle = true, AuthenticationRegion = "us-east-1", UseHttp = true });

    public HttpClient Client() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["VehicleApi:CatalogCheckInterval"] = "00:00:00";
        app.Settings["Files:Provider"] = "S3";
        app.Settings["Files:S3:ServiceUrl"] = S3Url;
        app.Settings["Files:S3:Bucket"] = Bucket;
        app.Settings["Files:S3:AccessKey"] = S3rverKey;
        app.Settings["Files:S3:SecretKey"] = S3rverKey;
        app.Settings["Files:LinkLifetime"] = LinkLifetime.ToString("c", CultureInfo.InvariantCulture);
    }

    protected override async Task StartAsync(OtaAppFactory app)
    {
        BaseUrl = app.StartOnLoopback();
        await new TestFleet(app.Services, Database).ImportDemoCatalogAsync();
    }

    /// <summary>The objects in the bucket under ECU package <paramref name="packageKey"/>'s prefix; none while there is no bucket yet.</summary>
    public async Task<IReadOnlyList<S3Object>> ObjectsAsync(string packageKey)
    {
        try
        {
            var listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = $"packages/{packageKey}/" });
            return listed.S3Objects ?? [];
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchBucket")
        {
            return [];
        }
    }

    /// <summary>Empties and removes the bucket, so runs leave nothing behind in .data/test/s3.</summary>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            await S3.HeadBucketAsync(new HeadBucketRequest { BucketName = Bucket });
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            S3.Dispose();
            return; // no test got as far as storing a file
        }
        ListObjectsV2Response listed;
        do
        {
            listed = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
            foreach (var o in listed.S3Objects ?? []) await S3.DeleteObjectAsync(Bucket, o.Key);
        }
        while (listed.IsTruncated == true);
        await S3.DeleteBucketAsync(Bucket);
        S3.Dispose();
    }
}

/// <summary>The same, with links that last five seconds, to see S3 refuse one that has expired.</summary>
public sealed class ShortLinkS3FileServingFixture : S3FileServingFixture
{
    public override TimeSpan LinkLifetime => TimeSpan.FromSeconds(5);
}
