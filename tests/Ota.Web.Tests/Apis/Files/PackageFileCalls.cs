using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Files;
using Ota.Infrastructure.Platform.Security;
using Ota.Testing;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Apis.Files;

/// <summary>
/// SPEC §13 through its doors: the open API's upload, the command line's, the refusals (hash, size, limit, cut off,
/// in use), and the links package-info hands out, fetched as a vehicle would: whole, in ranges, resumed, expired, forged,
/// another vehicle's, and after the file was deleted.
/// </summary>
public sealed class PackageFileCalls(FileServingFixture fixture) : IClassFixture<FileServingFixture>, IAsyncLifetime
{
    private HttpClient _api = null!;
    private HttpClient _vehicle = null!;
    private TestFleet _fleet = null!;
    private static int _next;

    public async Task InitializeAsync()
    {
        _fleet = new TestFleet(fixture.App.Services, fixture.Database);
        var (_, secret) = await fixture.App.Services.GetRequiredService<ApiKeyStore>().CreateAsync($"files-{Guid.NewGuid():N}");
        _api = fixture.Client();
        _api.DefaultRequestHeaders.Add("X-Api-Key", secret);
        _vehicle = fixture.Client();
    }

    public Task DisposeAsync()
    {
        _api.Dispose();
        _vehicle.Dispose();
        return Task.CompletedTask;
    }

    private static (string Key, byte[] Content) Demo(string key)
    {
        var (_, _, size) = DemoFiles.Packages().Single(p => p.Key == key);
        return (key, DemoFiles.ContentOf(key, size));
    }

    private Task<HttpResponseMessage> PutAsync(string key, HttpContent content) => _api.PutAsync($"/ota/open/api/ecu-packages/{key}/file", content);

    private async Task<string> VehicleAsync()
    {
        var vin = TestFleet.TestVin(Interlocked.Increment(ref _next), 'F');
        await _fleet.AddVehiclesAsync([await _fleet.VehicleAsync(vin)]);
        return vin;
    }

    /// <summary>The URL package-info gives <paramref name="vin"/> for ECU <paramref name="ecu"/> of S1-M1's full <paramref name="target"/>.</summary>
    private async Task<(string Url, JsonNode Ecu)> LinkAsync(string vin, string target, string ecu)
    {
        var json = await OkJsonAsync(await AskAsync(_vehicle, vin, "3.1.3", target));
        var item = json["ecus"]!.AsArray().Single(e => e!["ecuCode"]!.GetValue<string>() == ecu)!;
        return (item["url"]!.GetValue<string>(), item);
    }

    private async Task<long> StoredRowsAsync(string key) => await fixture.Database.CountAsync("ota_package_file", $"package_key = '{key}'");

    private string[] StoredObjects(string key) =>
        Directory.Exists(Path.Combine(fixture.App.DataFolder, "files", "packages", key))
            ? Directory.GetFiles(Path.Combine(fixture.App.DataFolder, "files", "packages", key))
            : [];

    private string[] Incoming() =>
        Directory.Exists(Path.Combine(fixture.App.DataFolder, "files-incoming")) ? Directory.GetFiles(Path.Combine(fixture.App.DataFolder, "files-incoming")) : [];

    [Fact]
    public async Task AnUploadThroughTheOpenApiIsServedToTheVehicleAsAnExpiringLinkWithRangesAndResume()
    {
        var (key, content) = Demo("CDC-3.1.5-full");
        var response = await PutAsync(key, new ByteArrayContent(content));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var stored = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(content.Length, stored["size"]!.GetValue<long>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), stored["sha256"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(content)), stored["sha1"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(content)), stored["md5"]!.GetValue<string>());
        Assert.Single(StoredObjects(key));

        var vin = await VehicleAsync();
        var (url, ecu) = await LinkAsync(vin, "3.1.5", "CDC");
        Assert.StartsWith(fixture.BaseUrl + "/files/v1/", url);
        Assert.Equal(content.Length, ecu["fileSize"]!.GetValue<long>());
        Assert.Equal(stored["sha256"]!.GetValue<string>(), ecu["sha256"]!.GetValue<string>());
        var check = fixture.App.Services.GetRequiredService<FileLinks>().Check(url[(url.LastIndexOf('/') + 1)..]);
        Assert.Equal((LinkVerdict.Valid, vin), (check.Verdict, check.Vin));
        Assert.InRange(check.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30.1));

        // Whole.
        var whole = await _vehicle.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(stored["sha256"]!.GetValue<string>(), whole.Headers.GetValues(Ota.Web.Apis.Files.FileDownloadApi.Sha256Header).Single());
        var etag = whole.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal("cdc-3.1.5.bin", whole.Content.Headers.ContentDisposition!.FileNameStar ?? whole.Content.Headers.ContentDisposition.FileName);

        // A transfer cut at 10,000 bytes resumes where it stopped, while the file is the same one.
        using (var resume = new HttpRequestMessage(HttpMethod.Get, url))
        {
            resume.Headers.Range = new RangeHeaderValue(10_000, null);
            resume.Headers.IfRange = new RangeConditionHeaderValue(etag);
            var rest = await _vehicle.SendAsync(resume);
            Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
            Assert.Equal((10_000L, content.Length - 1L, (long?)content.Length),
                (rest.Content.Headers.ContentRange!.From!.Value, rest.Content.Headers.ContentRange.To!.Value, rest.Content.Headers.ContentRange.Length));
            Assert.Equal(content[10_000..], await rest.Content.ReadAsByteArrayAsync());
        }
        // An If-Range that is not this file's: the whole file, from the start.
        using (var changed = new HttpRequestMessage(HttpMethod.Get, url))
        {
            changed.Headers.Range = new RangeHeaderValue(10_000, null);
            changed.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"another-file\""));
            var full = await _vehicle.SendAsync(changed);
            Assert.Equal(HttpStatusCode.OK, full.StatusCode);
            Assert.Equal(content.Length, (await full.Content.ReadAsByteArrayAsync()).Length);
        }
        // A middle range, and HEAD.
        using (var middle = new HttpRequestMessage(HttpMethod.Get, url))
        {
            middle.Headers.Range = new RangeHeaderValue(100, 199);
            var part = await _vehicle.SendAsync(middle);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal(content[100..200], await part.Content.ReadAsByteArrayAsync());
        }
        var head = await _vehicle.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        // The vehicle's own link, presented by another vehicle, is refused.
        using (var other = new HttpRequestMessage(HttpMethod.Get, url))
        {
            other.Headers.Add("X-Ota-Vin", TestFleet.TestVin(999, 'F'));
            Assert.Equal("LINK_INVALID", (await ProblemAsync(await _vehicle.SendAsync(other), HttpStatusCode.Forbidden)).Code);
        }
    }

    [Fact]
    public async Task ForgedAndExpiredLinksAreRefusedWithTheirCodes()
    {
        var (key, content) = Demo("CDC-4.2.0-full");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(key, new ByteArrayContent(content))).StatusCode);
        var fileId = (long)(await fixture.Database.ScalarAsync($"SELECT id FROM ota_package_file WHERE package_key = '{key}'"))!;
        var links = fixture.App.Services.GetRequiredService<FileLinks>();
        var vin = TestFleet.TestVin(998, 'F');

        var good = links.Token(fileId, vin, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await _vehicle.GetAsync(FileLinks.PathOf(good))).StatusCode);

        var expired = links.Token(fileId, vin, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal("LINK_EXPIRED", (await ProblemAsync(await _vehicle.GetAsync(FileLinks.PathOf(expired)), HttpStatusCode.Forbidden)).Code);

        // One character changed anywhere (the file, the VIN, the expiry or the seal) breaks the seal.
        foreach (var position in new[] { 3, 12, 20, good.Length - 2 })
        {
            var chars = good.ToCharArray();
            chars[position] = chars[position] == 'A' ? 'B' : 'A';
            var forged = new string(chars);
            Assert.Equal("LINK_INVALID", (await ProblemAsync(await _vehicle.GetAsync(FileLinks.PathOf(forged)), HttpStatusCode.Forbidden)).Code);
        }
        Assert.Equal("LINK_INVALID", (await ProblemAsync(await _vehicle.GetAsync(FileLinks.PathOf("not-a-token")), HttpStatusCode.Forbidden)).Code);
        // A link sealed with another installation's key.
        var otherKey = new FileLinks(Microsoft.Extensions.Options.Options.Create(new Ota.Infrastructure.Platform.Keys.KeyOptions
        {
            MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }), TimeProvider.System).Token(fileId, vin, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal("LINK_INVALID", (await ProblemAsync(await _vehicle.GetAsync(FileLinks.PathOf(otherKey)), HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task ALinkToAFileDeletedSinceAnswersFileNotFound()
    {
        var (key, content) = Demo("CDC-3.1.4-full");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(key, new ByteArrayContent(content))).StatusCode);
        var vin = await VehicleAsync();
        var (url, _) = await LinkAsync(vin, "3.1.4", "CDC");
        Assert.Equal(HttpStatusCode.OK, (await _vehicle.GetAsync(url)).StatusCode);

        await fixture.App.Services.GetRequiredService<PackageFileUploads>().DeleteAsync(key, "test", CancellationToken.None);
        Assert.Equal("FILE_NOT_FOUND", (await ProblemAsync(await _vehicle.GetAsync(url), HttpStatusCode.NotFound)).Code);
        Assert.Empty(StoredObjects(key));
        // Without its file the package is served with the catalog's own URL again.
        var (again, _) = await LinkAsync(vin, "3.1.4", "CDC");
        Assert.StartsWith("https://ota-cdn.example.com/", again);
    }

    [Fact]
    public async Task AFileThatDisagreesWithTheCatalogIsRefusedWholeAndNothingIsKept()
    {
        var (key, content) = Demo("BMS-3.1.5-full");
        var other = content.ToArray();
        other[^1] ^= 0xFF;
        var (code, _) = await ProblemAsync(await PutAsync(key, new ByteArrayContent(other)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("FILE_HASH_MISMATCH", code);

        // A catalog that gives only a size.
        await fixture.Database.ExecuteAsync("UPDATE ota_package_ecu_full SET sha256 = '' WHERE `key` = 'TBOX-3.1.5-full'");
        var (tbox, tboxContent) = Demo("TBOX-3.1.5-full");
        (code, _) = await ProblemAsync(await PutAsync(tbox, new ByteArrayContent(tboxContent[..^1])), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("FILE_SIZE_MISMATCH", code);

        (code, _) = await ProblemAsync(await PutAsync("NO-SUCH-PACKAGE", new ByteArrayContent(content)), HttpStatusCode.NotFound);
        Assert.Equal("ECU_PACKAGE_NOT_FOUND", code);

        Assert.Equal(0, await StoredRowsAsync(key) + await StoredRowsAsync(tbox));
        Assert.Empty(StoredObjects(key));
        Assert.Empty(StoredObjects(tbox));
        Assert.Empty(Incoming());
        // The catalog's own values stand.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)),
            await fixture.Database.ScalarAsync($"SELECT sha256 FROM ota_package_ecu_full WHERE `key` = '{key}'"));
    }

    [Fact]
    public async Task AFileOverTheLimitIsRefusedWhetherItsLengthIsAnnouncedOrNot()
    {
        var key = "VCU-3.1.6-full";
        var big = new byte[FileServingFixture.MaxBytes + 1];
        var (code, _) = await ProblemAsync(await PutAsync(key, new ByteArrayContent(big)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("FILE_TOO_LARGE", code);

        // Chunked: the limit is found while it streams.
        var chunked = new StreamContent(new MemoryStream(big));
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/ota/open/api/ecu-packages/{key}/file") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        (code, _) = await ProblemAsync(await _api.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("FILE_TOO_LARGE", code);
        Assert.Equal(0, await StoredRowsAsync(key));
        Assert.Empty(StoredObjects(key));
        Assert.Empty(Incoming());
    }

    [Fact]
    public async Task AnUploadCutOffMidwayLeavesNothingBehind()
    {
        var (key, content) = Demo("ADCU-3.1.5-full");
        var cut = new CutOffContent(content, content.Length / 2);
        await Assert.ThrowsAnyAsync<Exception>(() => PutAsync(key, cut));
        await Eventually.WaitUntilAsync(() => Task.FromResult(Incoming().Length == 0), TimeSpan.FromSeconds(20), "the incoming file to be removed");
        Assert.True(cut.Sent >= content.Length / 2, $"the body was cut after {cut.Sent} bytes");
        Assert.Equal(0, await StoredRowsAsync(key));
        Assert.Empty(StoredObjects(key));
        // The same file, whole, then goes in.
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(key, new ByteArrayContent(content))).StatusCode);
    }

    [Fact]
    public async Task ANewBuildReplacesTheFileOnlyOnceTheCatalogNamesItAndNeverWhileALiveTaskUsesIt()
    {
        var (key, content) = Demo("VCU-3.1.5-full");
        // The key as the caller spells it: stored under the catalog's spelling, so vehicles are served it.
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(key.ToLowerInvariant(), new ByteArrayContent(content))).StatusCode);
        Assert.Equal(1, await fixture.Database.CountAsync("ota_package_file", $"package_key = BINARY '{key}'"));

        // Another build under the same package is another file: refused until the catalog says it is the one.
        var build2 = content.Concat(new byte[] { 1, 2, 3 }).ToArray();
        var build2Sha = Convert.ToHexStringLower(SHA256.HashData(build2));
        Assert.Equal("FILE_HASH_MISMATCH", (await ProblemAsync(await PutAsync(key, new ByteArrayContent(build2)), HttpStatusCode.UnprocessableEntity)).Code);
        await fixture.Database.ExecuteAsync($"UPDATE ota_package_ecu_full SET sha256 = '{build2Sha}', file_size = {build2.Length} WHERE `key` = '{key}'");
        var replaced = await PutAsync(key, new ByteArrayContent(build2));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.True((await replaced.Content.ReadFromJsonAsync<JsonObject>())!["replaced"]!.GetValue<bool>());
        Assert.Single(StoredObjects(key));

        var vin = await VehicleAsync();
        var taskId = await TaskAsync(fixture.Database, _fleet, TaskType.Normal, "S1-M1", "3.1.5", [vin]);
        var (code, _) = await ProblemAsync(await PutAsync(key, new ByteArrayContent(build2)), HttpStatusCode.Conflict);
        Assert.Equal("FILE_IN_USE", code);
        var problem = await fixture.App.Services.GetRequiredService<PackageFileUploads>()
            .DeleteAsync(key, "test", CancellationToken.None).ContinueWith(t => t.Exception?.InnerException as PackageFileException);
        Assert.Equal("FILE_IN_USE", problem?.Code);
        Assert.Contains(taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), problem!.Message);
        Assert.Equal(build2Sha, await fixture.Database.ScalarAsync($"SELECT sha256 FROM ota_package_file WHERE package_key = '{key}'"));
        // The vehicle is served the stored build, with its own size and hash.
        var (url, ecu) = await LinkAsync(vin, "3.1.5", "VCU");
        Assert.Equal((build2.Length, build2Sha), (ecu["fileSize"]!.GetValue<int>(), ecu["sha256"]!.GetValue<string>()));
        Assert.Equal(build2, await _vehicle.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task TheCommandLineStoresAFileAndRefusesAMismatchWithItsCode()
    {
        var settings = AppProcess.VictimSettings(fixture.Database, fixture.Redis);
        settings["Ota:DataFolder"] = fixture.App.DataFolder;
        var (key, content) = Demo("ADCU-3.1.6-full");
        var path = Path.Combine(Directory.CreateTempSubdirectory("ota-cli-").FullName, "adcu-3.1.6.bin");
        await File.WriteAllBytesAsync(path, content[..^1]);
        var (exit, _, errors) = await AppProcess.RunCommandAsync(settings, "import", "file", key, path);
        Assert.Equal(1, exit);
        Assert.Contains("FILE_HASH_MISMATCH", errors);
        Assert.Equal(0, await StoredRowsAsync(key));

        await File.WriteAllBytesAsync(path, content);
        (exit, var output, errors) = await AppProcess.RunCommandAsync(settings, "import", "file", key, path);
        Assert.True(exit == 0, errors);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(content)), output);
        Assert.Contains(Convert.ToHexStringLower(MD5.HashData(content)), output);
        Assert.Equal(1, await StoredRowsAsync(key));
        Assert.Single(StoredObjects(key));
    }

    [Fact]
    public async Task AVehicleThatHammersItsLinkIsHeldBackAlone()
    {
        var (key, content) = Demo("BMS-4.2.0-full");
        Assert.Equal(HttpStatusCode.Created, (await PutAsync(key, new ByteArrayContent(content))).StatusCode);
        var fileId = (long)(await fixture.Database.ScalarAsync($"SELECT id FROM ota_package_file WHERE package_key = '{key}'"))!;
        var links = fixture.App.Services.GetRequiredService<FileLinks>();
        var greedy = FileLinks.PathOf(links.Token(fileId, TestFleet.TestVin(997, 'F'), DateTimeOffset.UtcNow.AddMinutes(5)));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++) statuses.Add((await _vehicle.SendAsync(new HttpRequestMessage(HttpMethod.Head, greedy))).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var other = FileLinks.PathOf(links.Token(fileId, TestFleet.TestVin(996, 'F'), DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.Equal(HttpStatusCode.OK, (await _vehicle.SendAsync(new HttpRequestMessage(HttpMethod.Head, other))).StatusCode);
    }

    /// <summary>A body that announces its whole length, sends part of it, then fails: the connection drops mid-upload.</summary>
    private sealed class CutOffContent(byte[] content, int cutAt) : HttpContent
    {
        public int Sent { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < cutAt; offset += 8192)
            {
                var count = Math.Min(8192, cutAt - offset);
                await stream.WriteAsync(content.AsMemory(offset, count));
                Sent += count;
            }
            await stream.FlushAsync();
            await Task.Delay(200);
            throw new IOException("The test cuts the upload off.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = content.Length;
            return true;
        }
    }
}
