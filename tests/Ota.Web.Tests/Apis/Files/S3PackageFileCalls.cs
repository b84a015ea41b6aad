using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Web;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Files;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis.Files;

/// <summary>
/// SPEC §13's S3 half end to end: the app with <c>Files:Provider=S3</c> on the real s3rver. A file uploaded through the
/// open API becomes one object in the bucket; package-info hands the vehicle a presigned S3 GET (not the app's
/// <c>/files/v1/</c> link) that lasts <c>Files:LinkLifetime</c> and serves the exact bytes, whole and in ranges. A refused
/// upload leaves no object, a replaced file's old object goes, and so does a deleted file's, whose removal stands even
/// when S3 refuses to delete the object.
/// </summary>
public sealed class S3PackageFileCalls(S3FileServingFixture fixture) : IClassFixture<S3FileServingFixture>, IAsyncLifetime
{
    private S3FileCalls _calls = null!;

    public async Task InitializeAsync() => _calls = await S3FileCalls.CreateAsync(fixture);

    public Task DisposeAsync()
    {
        _calls.Dispose();
        return Task.CompletedTask;
    }

    private Task<long> StoredRowsAsync(string key) => fixture.Database.CountAsync("ota_package_file", $"package_key = '{key}'");

    private string[] Incoming() =>
        Directory.Exists(Path.Combine(fixture.App.DataFolder, "files-incoming")) ? Directory.GetFiles(Path.Combine(fixture.App.DataFolder, "files-incoming")) : [];

    private Task DeleteFileAsync(string key) =>
        fixture.App.Services.GetRequiredService<PackageFileUploads>().DeleteAsync(key, "test", CancellationToken.None);

    [Fact]
    public async Task AnUploadThroughTheOpenApiIsServedAsAPresignedS3LinkThatLastsTheLinkLifetime()
    {
        var (key, content) = S3FileCalls.Demo("CDC-3.1.5-full");
        var response = await _calls.PutAsync(key, new ByteArrayContent(content));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha256, (await response.Content.ReadFromJsonAsync<JsonObject>())!["sha256"]!.GetValue<string>());
        var stored = Assert.Single(await fixture.ObjectsAsync(key));
        Assert.Equal(content.Length, stored.Size);

        var vin = await _calls.VehicleAsync();
        var asked = DateTimeOffset.UtcNow;
        var (url, ecu) = await _calls.LinkAsync(vin, "3.1.5", "CDC");
        Assert.DoesNotContain(FileLinks.PathPrefix, url);
        Assert.Equal($"{fixture.S3Url}/{fixture.Bucket}/{stored.Key}", new Uri(url).GetLeftPart(UriPartial.Path));
        Assert.Equal(content.Length, ecu["fileSize"]!.GetValue<long>());
        Assert.Equal(sha256, ecu["sha256"]!.GetValue<string>());
        // Signed just now with the store's keys, for Files:LinkLifetime (17 minutes here, not the default 30).
        var query = HttpUtility.ParseQueryString(new Uri(url).Query);
        Assert.Equal(((long)fixture.LinkLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture), query["X-Amz-Expires"]);
        Assert.InRange(S3FileCalls.SignedAt(url), asked.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.StartsWith(S3FileServingFixture.S3rverKey + "/", query["X-Amz-Credential"]);

        // Whole, from the store itself, with the catalog's file name.
        using (var whole = await _calls.Download.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
            var disposition = whole.Content.Headers.ContentDisposition;
            Assert.Equal("attachment", disposition?.DispositionType);
            Assert.Equal("cdc-3.1.5.bin", disposition?.FileNameStar ?? disposition?.FileName);
        }
        // A middle range, and a transfer cut at 10,000 bytes resumed to the end.
        using (var middle = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(100, 199) } })
        using (var part = await _calls.Download.SendAsync(middle))
        {
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes 100-199/{content.Length}", part.Content.Headers.ContentRange?.ToString());
            Assert.Equal(content[100..200], await part.Content.ReadAsByteArrayAsync());
        }
        using (var resume = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(10_000, null) } })
        using (var rest = await _calls.Download.SendAsync(resume))
        {
            Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
            Assert.Equal($"bytes 10000-{content.Length - 1}/{content.Length}", rest.Content.Headers.ContentRange?.ToString());
            Assert.Equal(content[10_000..], await rest.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AFileThatDisagreesWithTheCatalogLeavesNoObjectInTheBucket()
    {
        var (key, content) = S3FileCalls.Demo("BMS-3.1.5-full");
        var other = content.ToArray();
        other[^1] ^= 0xFF;
        var (code, _) = await ProblemAsync(await _calls.PutAsync(key, new ByteArrayContent(other)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("FILE_HASH_MISMATCH", code);

        Assert.Empty(await fixture.ObjectsAsync(key));
        Assert.Equal(0, await StoredRowsAsync(key));
        Assert.Empty(Incoming());
        // The right file then goes in as the one object under the package's prefix: the listing sees what is there.
        Assert.Equal(HttpStatusCode.Created, (await _calls.PutAsync(key, new ByteArrayContent(content))).StatusCode);
        Assert.Equal(content.Length, Assert.Single(await fixture.ObjectsAsync(key)).Size);
    }

    [Fact]
    public async Task AReplacedFilesOldObjectIsDeletedFromTheBucket()
    {
        var (key, content) = S3FileCalls.Demo("VCU-3.1.5-full");
        Assert.Equal(HttpStatusCode.Created, (await _calls.PutAsync(key, new ByteArrayContent(content))).StatusCode);
        var first = Assert.Single(await fixture.ObjectsAsync(key));
        var vin = await _calls.VehicleAsync();
        var (oldUrl, _) = await _calls.LinkAsync(vin, "3.1.5", "VCU");
        using (var before = await _calls.Download.GetAsync(oldUrl)) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        // A new build of the package: the catalog names it first, then its file replaces the old one.
        var build2 = content.Concat(new byte[] { 1, 2, 3 }).ToArray();
        await fixture.Database.ExecuteAsync(
            $"UPDATE ota_package_ecu_full SET sha256 = '{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(build2))}', file_size = {build2.Length} WHERE `key` = '{key}'");
        var replaced = await _calls.PutAsync(key, new ByteArrayContent(build2));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.True((await replaced.Content.ReadFromJsonAsync<JsonObject>())!["replaced"]!.GetValue<bool>());

        var second = Assert.Single(await fixture.ObjectsAsync(key));
        Assert.NotEqual(first.Key, second.Key);
        Assert.Equal(build2.Length, second.Size);
        // The old link finds nothing now (S3's own error applies); a new answer links the new object.
        using (var gone = await _calls.Download.GetAsync(oldUrl))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("NoSuchKey", await gone.Content.ReadAsStringAsync());
        }
        var (newUrl, ecu) = await _calls.LinkAsync(vin, "3.1.5", "VCU");
        Assert.Equal($"{fixture.S3Url}/{fixture.Bucket}/{second.Key}", new Uri(newUrl).GetLeftPart(UriPartial.Path));
        Assert.Equal(build2.Length, ecu["fileSize"]!.GetValue<long>());
        Assert.Equal(build2, await _calls.Download.GetByteArrayAsync(newUrl));
    }

    [Fact]
    public async Task DeletingTheFileDeletesItsObject()
    {
        var (key, content) = S3FileCalls.Demo("CDC-3.1.4-full");
        Assert.Equal(HttpStatusCode.Created, (await _calls.PutAsync(key, new ByteArrayContent(content))).StatusCode);
        Assert.Single(await fixture.ObjectsAsync(key));
        var vin = await _calls.VehicleAsync();
        var (url, _) = await _calls.LinkAsync(vin, "3.1.4", "CDC");
        Assert.Equal(content, await _calls.Download.GetByteArrayAsync(url));

        await DeleteFileAsync(key);
        Assert.Empty(await fixture.ObjectsAsync(key));
        Assert.Equal(0, await StoredRowsAsync(key));
        using (var gone = await _calls.Download.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("NoSuchKey", await gone.Content.ReadAsStringAsync());
        }
        // Without its file the package is served with the catalog's own URL again.
        var (again, _) = await _calls.LinkAsync(vin, "3.1.4", "CDC");
        Assert.StartsWith("https://ota-cdn.example.com/", again);
    }

    [Fact]
    public async Task AFileIsDeletedEvenWhenTheStoreFailsToDeleteItsObject()
    {
        var (key, content) = S3FileCalls.Demo("TBOX-3.1.5-full");
        Assert.Equal(HttpStatusCode.Created, (await _calls.PutAsync(key, new ByteArrayContent(content))).StatusCode);
        var vin = await _calls.VehicleAsync();
        var (url, _) = await _calls.LinkAsync(vin, "3.1.5", "TBOX");
        Assert.Equal($"{fixture.S3Url}/{fixture.Bucket}/{Assert.Single(await fixture.ObjectsAsync(key)).Key}",
            new Uri(url).GetLeftPart(UriPartial.Path));

        // S3 answers the delete with an error: here NoSuchBucket, as the bucket went behind the app's back; in production
        // an AccessDenied (keys without s3:DeleteObject) or a SlowDown would do the same. The file's row is gone by then,
        // so the removal stands and the object is left behind with a warning; it must not fail the call.
        await RemoveBucketAsync();
        try
        {
            await DeleteFileAsync(key);
            Assert.Equal(0, await StoredRowsAsync(key));
            var (again, _) = await _calls.LinkAsync(vin, "3.1.5", "TBOX");
            Assert.StartsWith("https://ota-cdn.example.com/", again);
        }
        finally
        {
            await fixture.S3.PutBucketAsync(new PutBucketRequest { BucketName = fixture.Bucket });
        }
    }

    private async Task RemoveBucketAsync()
    {
        var listed = await fixture.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = fixture.Bucket });
        foreach (var o in listed.S3Objects ?? []) await fixture.S3.DeleteObjectAsync(fixture.Bucket, o.Key);
        await fixture.S3.DeleteBucketAsync(fixture.Bucket);
    }
}

/// <summary>With <c>Files:LinkLifetime</c> at 5 s: the presigned link says so, works at once, and S3 refuses it after.</summary>
public sealed class ShortLinkS3PackageFileCalls(ShortLinkS3FileServingFixture fixture) : IClassFixture<ShortLinkS3FileServingFixture>, IAsyncLifetime
{
    private S3FileCalls _calls = null!;

    public async Task InitializeAsync() => _calls = await S3FileCalls.CreateAsync(fixture);

    public Task DisposeAsync()
    {
        _calls.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task APresignedLinkIsRefusedByS3OnceTheLinkLifetimeHasPassed()
    {
        var (key, content) = S3FileCalls.Demo("CDC-3.1.5-full");
        Assert.Equal(HttpStatusCode.Created, (await _calls.PutAsync(key, new ByteArrayContent(content))).StatusCode);
        var vin = await _calls.VehicleAsync();
        var (url, _) = await _calls.LinkAsync(vin, "3.1.5", "CDC");
        Assert.StartsWith($"{fixture.S3Url}/{fixture.Bucket}/packages/{key}/", url);
        Assert.Equal("5", HttpUtility.ParseQueryString(new Uri(url).Query)["X-Amz-Expires"]);
        Assert.Equal(content, await _calls.Download.GetByteArrayAsync(url));

        var wait = S3FileCalls.SignedAt(url) + fixture.LinkLifetime + TimeSpan.FromSeconds(1.5) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        using var late = await _calls.Download.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        var error = await late.Content.ReadAsStringAsync();
        Assert.Contains("AccessDenied", error);
        Assert.Contains("Request has expired", error);
    }
}

/// <summary>What both classes do: upload through the open API, add a vehicle, ask for its link, download from S3.</summary>
internal sealed class S3FileCalls : IDisposable
{
    private static int _next;
    private readonly TestFleet _fleet;
    private readonly HttpClient _api;
    private readonly HttpClient _vehicle;

    private S3FileCalls(S3FileServingFixture fixture, string apiKey)
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        _api = fixture.Client();
        _api.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        _vehicle = fixture.Client();
    }

    /// <summary>A client for the presigned links, which point at the S3 store rather than the app.</summary>
    public HttpClient Download { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<S3FileCalls> CreateAsync(S3FileServingFixture fixture)
    {
        var (_, secret) = await fixture.App.Services.GetRequiredService<ApiKeyStore>().CreateAsync($"s3-files-{Guid.NewGuid():N}");
        return new S3FileCalls(fixture, secret);
    }

    public static (string Key, byte[] Content) Demo(string key)
    {
        var (_, _, size) = DemoFiles.Packages().Single(p => p.Key == key);
        return (key, DemoFiles.ContentOf(key, size));
    }

    public Task<HttpResponseMessage> PutAsync(string key, HttpContent content) => _api.PutAsync($"/ota/open/api/ecu-packages/{key}/file", content);

    public async Task<string> VehicleAsync()
    {
        var vin = TestFleet.TestVin(Interlocked.Increment(ref _next), 'S');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin)]);
        return vin;
    }

    /// <summary>The URL package-info gives <paramref name="vin"/> for ECU <paramref name="ecu"/> of S1-M1's full <paramref name="target"/>.</summary>
    public async Task<(string Url, JsonNode Ecu)> LinkAsync(string vin, string target, string ecu)
    {
        var json = await OkJsonAsync(await AskAsync(_vehicle, vin, "3.1.3", target));
        var item = json["ecus"]!.AsArray().Single(e => e!["ecuCode"]!.GetValue<string>() == ecu)!;
        return (item["url"]!.GetValue<string>(), item);
    }

    /// <summary>When a presigned link was signed (its <c>X-Amz-Date</c>, to the second), from which S3 counts its lifetime.</summary>
    public static DateTimeOffset SignedAt(string url) =>
        DateTimeOffset.ParseExact(HttpUtility.ParseQueryString(new Uri(url).Query)["X-Amz-Date"]!, "yyyyMMdd'T'HHmmss'Z'",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public void Dispose()
    {
        _api.Dispose();
        _vehicle.Dispose();
        Download.Dispose();
    }
}
