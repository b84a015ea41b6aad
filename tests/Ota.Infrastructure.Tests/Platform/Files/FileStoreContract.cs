using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Web;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Files;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Files;

/// <summary>
/// What every <see cref="IFileStore"/> must do, run against each provider: a local folder, and the real S3-compatible
/// server (s3rver) that <c>./ota test</c> starts. Each test puts its own files under fresh keys.
/// </summary>
public abstract class FileStoreContract : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("ota-file-contract-");

    protected abstract IFileStore Store { get; }

    /// <summary>A finished upload as the store is handed it: a local file (which the store may move away).</summary>
    protected string Staged(byte[] content)
    {
        var path = Path.Combine(_scratch.FullName, $"upload-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, content);
        return path;
    }

    protected static string NewKey() => FileKeys.NewFor("contract-ecu-package");

    protected static async Task<byte[]> ReadAsync(IFileStore store, string key, long offset = 0)
    {
        await using var stream = await store.OpenReadAsync(key, offset, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task KeepsAFileAndReadsItBackWholeAndFromAnOffset()
    {
        var content = RandomNumberGenerator.GetBytes(100_003);
        var key = NewKey();
        await Store.PutAsync(key, Staged(content), CancellationToken.None);

        Assert.Equal(content.Length, await Store.SizeAsync(key, CancellationToken.None));
        Assert.Equal(content, await ReadAsync(Store, key));
        Assert.Equal(content[70_000..], await ReadAsync(Store, key, 70_000));
        Assert.Empty(await ReadAsync(Store, key, content.Length)); // a finished download resumed: nothing left
    }

    [Fact]
    public async Task AnswersAMissingKeyWithNoSizeAndNotFound()
    {
        var key = NewKey();
        Assert.Null(await Store.SizeAsync(key, CancellationToken.None));
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(key, 0, CancellationToken.None));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task DeletesAFileAndDeletingAMissingOneIsFine()
    {
        var key = NewKey();
        await Store.PutAsync(key, Staged("to be deleted"u8.ToArray()), CancellationToken.None);
        await Store.DeleteAsync(key, CancellationToken.None);

        Assert.Null(await Store.SizeAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.OpenReadAsync(key, 0, CancellationToken.None));
        await Store.DeleteAsync(key, CancellationToken.None);
        await Store.DeleteAsync(NewKey(), CancellationToken.None);
    }

    [Fact]
    public async Task KeepsTheOldFileReadableUntilItIsDeletedWhenAReplacementGoesUnderANewKey()
    {
        var (oldKey, newKey) = (NewKey(), NewKey());
        Assert.NotEqual(oldKey, newKey);
        await Store.PutAsync(oldKey, Staged("version 1"u8.ToArray()), CancellationToken.None);
        await Store.PutAsync(newKey, Staged("version 2, longer"u8.ToArray()), CancellationToken.None);

        Assert.Equal("version 1"u8.ToArray(), await ReadAsync(Store, oldKey));
        Assert.Equal("version 2, longer"u8.ToArray(), await ReadAsync(Store, newKey));
        await Store.DeleteAsync(oldKey, CancellationToken.None);
        Assert.Null(await Store.SizeAsync(oldKey, CancellationToken.None));
        Assert.Equal("version 2, longer"u8.ToArray(), await ReadAsync(Store, newKey));
    }

    [Fact]
    public async Task RoundTripsA64MiBFileWithItsSha256()
    {
        const long size = 64L << 20;
        var path = Path.Combine(_scratch.FullName, "big.bin");
        string expected;
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        await using (var file = File.Create(path))
        {
            var buffer = new byte[1 << 20];
            for (long written = 0; written < size; written += buffer.Length)
            {
                Random.Shared.NextBytes(buffer);
                hash.AppendData(buffer);
                await file.WriteAsync(buffer);
            }
            expected = Convert.ToHexString(hash.GetHashAndReset());
        }
        var key = NewKey();
        await Store.PutAsync(key, path, CancellationToken.None);

        Assert.Equal(size, await Store.SizeAsync(key, CancellationToken.None));
        await using var stream = await Store.OpenReadAsync(key, 0, CancellationToken.None);
        Assert.Equal(expected, Convert.ToHexString(await SHA256.HashDataAsync(stream)));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    public async Task RefusesAKeyThatIsNotAPlainRelativePath(string key)
    {
        var source = Staged("never stored"u8.ToArray());
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, source, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SizeAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.OpenReadAsync(key, 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => Store.PresignedGet(key, TimeSpan.FromMinutes(1), "x.bin"));
        Assert.Throws<ArgumentException>(() => Store.LocalPath(key));
        Assert.True(File.Exists(source));
    }

    public virtual void Dispose()
    {
        _scratch.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class FileSystemFileStoreContract : FileStoreContract
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ota-file-store-");
    private readonly ServiceProvider _services;

    public FileSystemFileStoreContract() =>
        _services = FileStoreServices.Create(new() { ["Files:Root"] = _root.FullName });

    protected override IFileStore Store => Assert.IsType<FileSystemFileStore>(_services.GetRequiredService<IFileStore>()); // the default

    [Fact]
    public async Task HandsOutNoPresignedLinkButTheLocalFileTheAppServes()
    {
        var key = NewKey();
        await Store.PutAsync(key, Staged("served by the app"u8.ToArray()), CancellationToken.None);

        Assert.Null(Store.PresignedGet(key, TimeSpan.FromMinutes(30), "package.bin"));
        var path = Store.LocalPath(key);
        Assert.NotNull(path);
        Assert.StartsWith(_root.FullName + Path.DirectorySeparatorChar, path);
        Assert.Equal("served by the app"u8.ToArray(), await File.ReadAllBytesAsync(path));
    }

    public override void Dispose()
    {
        _services.Dispose();
        _root.Delete(recursive: true);
        base.Dispose();
    }
}

/// <summary>
/// Against the s3rver that <c>./ota test</c> starts (<c>OTA_TEST_S3_URL</c>); without it every test fails saying so. Each
/// test has a bucket of its own, which the store creates at first use and the test removes afterwards, so runs never meet.
/// </summary>
public sealed class S3FileStoreContract : FileStoreContract, IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly string _bucket = $"ota-contract-{Guid.NewGuid():N}";
    private readonly ServiceProvider _services;

    public S3FileStoreContract() => _services = FileStoreServices.S3(_bucket);

    protected override IFileStore Store => Assert.IsType<S3FileStore>(_services.GetRequiredService<IFileStore>());

    [Fact]
    public async Task HandsOutAPresignedLinkThatDownloadsAndResumes()
    {
        var content = RandomNumberGenerator.GetBytes(50_000);
        var key = NewKey();
        await Store.PutAsync(key, Staged(content), CancellationToken.None);

        var link = Store.PresignedGet(key, TimeSpan.FromMinutes(30), "BCM 3.1.5 升级.bin");
        Assert.NotNull(link);
        Assert.Null(Store.LocalPath(key));
        using (var whole = await Http.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
            var disposition = whole.Content.Headers.ContentDisposition;
            Assert.Equal("attachment", disposition?.DispositionType);
            Assert.Equal("BCM 3.1.5 升级.bin", disposition?.FileNameStar);
        }

        using var resume = new HttpRequestMessage(HttpMethod.Get, link) { Headers = { Range = new RangeHeaderValue(20_000, null) } };
        using var rest = await Http.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal("bytes 20000-49999/50000", rest.Content.Headers.ContentRange?.ToString());
        Assert.Equal(content[20_000..], await rest.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task APresignedLinkSaysTheLifetimeItWasAskedForAfterAnAnswerLateInASecond()
    {
        var key = NewKey();
        await Store.PutAsync(key, Staged("timed"u8.ToArray()), CancellationToken.None);
        // The SDK corrects its clock by the skew it reads from each answer's Date header, which counts whole seconds: an
        // answer late in a second makes the store look most of a second behind (the correction is per endpoint and
        // shared by every client in the process).
        using var client = FileStoreServices.S3Client();
        while (DateTime.UtcNow.Millisecond < 700) await Task.Delay(10);
        await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });

        var link = Store.PresignedGet(key, TimeSpan.FromMinutes(30), "package.bin")!;
        Assert.Equal("1800", HttpUtility.ParseQueryString(link.Query)["X-Amz-Expires"]);
    }

    [Fact]
    public async Task RefusesAPresignedLinkOnceItHasExpired()
    {
        var key = NewKey();
        await Store.PutAsync(key, Staged("short-lived"u8.ToArray()), CancellationToken.None);
        // Long enough that the first call lands inside it on a loaded machine: the signing time is cut to whole seconds
        // and the S3 client may shift its clock by up to a second to the server's.
        var link = Store.PresignedGet(key, TimeSpan.FromSeconds(5), "package.bin")!;
        using (var early = await Http.GetAsync(link)) Assert.Equal(HttpStatusCode.OK, early.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(6.5));
        using var late = await Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CreatesItsBucketAtFirstUse()
    {
        using var client = FileStoreServices.S3Client();
        var bucket = $"ota-fresh-{Guid.NewGuid():N}";
        using var services = FileStoreServices.S3(bucket);
        var store = services.GetRequiredService<IFileStore>();
        var before = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }));
        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);

        Assert.Null(await store.SizeAsync(NewKey(), CancellationToken.None));
        await client.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });
        await client.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task SaysWhichBucketAndSettingsToCheckWhenItCannotUseTheBucket()
    {
        using var services = FileStoreServices.S3(_bucket, accessKey: "NOT-S3RVER");
        var store = services.GetRequiredService<IFileStore>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.SizeAsync(NewKey(), CancellationToken.None));
        Assert.Contains($"'{_bucket}'", error.Message);
        Assert.Contains("Files__S3__AccessKey", error.Message);
    }

    [Fact]
    public async Task ReportsADeleteThatS3RefusesAsAnIOException()
    {
        var key = NewKey();
        await Store.PutAsync(key, Staged("left behind"u8.ToArray()), CancellationToken.None);
        using var client = FileStoreServices.S3Client();
        await client.DeleteObjectAsync(_bucket, key);
        await client.DeleteBucketAsync(_bucket);

        // The callers' clean-up handles I/O failures (it logs the object as left behind); S3's own type would escape it.
        var error = await Assert.ThrowsAsync<IOException>(() => Store.DeleteAsync(key, CancellationToken.None));
        Assert.Contains($"'{_bucket}'", error.Message);
        Assert.Contains("NoSuchBucket", error.Message);
        Assert.IsType<AmazonS3Exception>(error.InnerException);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Empties and removes this class's bucket, so runs leave nothing behind in .data/test/s3.</summary>
    public async Task DisposeAsync()
    {
        using var client = FileStoreServices.S3Client();
        try
        {
            await client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket });
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return; // no test got as far as using it
        }
        var objects = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        foreach (var o in objects.S3Objects ?? []) await client.DeleteObjectAsync(_bucket, o.Key);
        await client.DeleteBucketAsync(_bucket);
    }

    public override void Dispose()
    {
        _services.Dispose();
        base.Dispose();
    }
}

/// <summary>The file store as the app registers it, from settings alone.</summary>
internal static class FileStoreServices
{
    public const string S3rverKey = "S3RVER";

    public static ServiceProvider Create(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddOptions<OtaOptions>().BindConfiguration(OtaOptions.Section);
        // The app's composition root gives every service the system clock; the download links take it.
        services.AddSingleton(TimeProvider.System);
        services.AddFileStore();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static ServiceProvider S3(string bucket, string accessKey = S3rverKey) => Create(new()
    {
        ["Files:Provider"] = "S3",
        ["Files:S3:ServiceUrl"] = TestEnvironment.S3,
        ["Files:S3:Bucket"] = bucket,
        ["Files:S3:AccessKey"] = accessKey,
        ["Files:S3:SecretKey"] = S3rverKey,
    });

    /// <summary>A plain client on the test s3rver, for looking behind the store's back.</summary>
    public static AmazonS3Client S3Client() => new(new BasicAWSCredentials(S3rverKey, S3rverKey),
        new AmazonS3Config { ServiceURL = TestEnvironment.S3, ForcePathStyle = true, AuthenticationRegion = "us-east-1", UseHttp = true });
}
