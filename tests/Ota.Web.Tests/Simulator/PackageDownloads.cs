using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ota.Simulator;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// The simulator's package downloads (SPEC §13) against a real file server: files in ECU order, verified; cut transfers
/// resumed with Range and If-Range; a changed file started over; mismatches and refusals reported by inner error code.
/// </summary>
public sealed class PackageDownloads : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private PackageFileServer _server = null!;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentQueue<(string Ecu, long Bytes)> _progress = new();

    public async Task InitializeAsync() => _server = await PackageFileServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task DownloadsEveryFileInEcuOrderAndVerifiesIt()
    {
        var files = new[]
        {
            _server.Add("BMS", "bms.bin", Content(3 * MiB + 17, seed: 1)),
            _server.Add("VCU", "vcu.bin", Content(MiB, seed: 2)),
        };
        var (failure, summary) = await DownloadAsync(files);

        Assert.Null(failure);
        Assert.Equal(["bms.bin", "vcu.bin"], _server.Requests.Select(r => r.Name));
        Assert.All(_server.Requests, r => Assert.Null(r.Range));
        Assert.Equal([("BMS", 0L), ("BMS", 3L * MiB + 17), ("VCU", 0L), ("VCU", MiB)], _progress);
        Assert.Equal(2, summary.FilesDownloaded);
        Assert.Equal(4L * MiB + 17, summary.BytesDownloaded);
        Assert.Equal(0, summary.TransfersResumed);
        Assert.Empty(summary.DownloadFailuresByCode);
    }

    [Fact]
    public async Task ResumesATransferTheServerCutsWithRangeAndIfRange()
    {
        var file = _server.Add("BMS", "bms.bin", Content(4 * MiB, seed: 3));
        _server.CutFirstAnswer("bms.bin", MiB + 5);
        var (failure, summary) = await DownloadAsync([file]);

        Assert.Null(failure);
        var requests = _server.RequestsFor("bms.bin");
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        // The resume asks for the rest from where the bytes stopped, on condition the file is the same one.
        var resumedAt = _progress.ToArray()[1].Bytes;
        Assert.InRange(resumedAt, 1, MiB + 5);
        Assert.Equal($"bytes={resumedAt}-", requests[1].Range);
        Assert.Equal($"\"{file.Sha256[..20]}\"", requests[1].IfRange);
        Assert.Equal([("BMS", 0L), ("BMS", resumedAt), ("BMS", 4L * MiB)], _progress);
        Assert.Equal(1, summary.TransfersResumed);
        Assert.Equal(1, summary.FilesDownloaded);
        Assert.Equal(4L * MiB, summary.BytesDownloaded);
    }

    [Fact]
    public async Task StartsOverWhenTheFileChangedSinceTheCut()
    {
        var earlier = Content(2 * MiB, seed: 4);
        var file = _server.Add("BMS", "bms.bin", Content(2 * MiB, seed: 5));
        _server.CutFirstAnswerOfEarlierContent("bms.bin", earlier, MiB);
        var (failure, summary) = await DownloadAsync([file]);

        // The server answered the If-Range of the old ETag with the whole new file (200): the old bytes are dropped.
        Assert.Null(failure);
        var requests = _server.RequestsFor("bms.bin");
        Assert.Equal(2, requests.Count);
        Assert.NotNull(requests[1].IfRange);
        Assert.Equal(0, summary.TransfersResumed);
        Assert.Equal(1, summary.FilesDownloaded);
        Assert.Equal(("BMS", 0L), _progress.ToArray()[1]);
        Assert.True(summary.BytesDownloaded > 2L * MiB, $"{summary.BytesDownloaded} bytes: the cut part and the whole new file");
    }

    [Fact]
    public async Task CutRateOneCutsAndResumesEveryFileAndStillVerifies()
    {
        var files = new[]
        {
            _server.Add("BMS", "bms.bin", Content(3 * MiB, seed: 6)),
            _server.Add("VCU", "vcu.bin", Content(2 * MiB + 1, seed: 7)),
            _server.Add("ADAS", "adas.bin", Content(5000, seed: 8)),
        };
        var (failure, summary) = await DownloadAsync(files, new SimulatorOptions { CutRate = 1 });

        Assert.Null(failure);
        Assert.Equal(3, summary.TransfersResumed);
        Assert.Equal(3, summary.FilesDownloaded);
        foreach (var file in files)
        {
            var requests = _server.RequestsFor(file.FileName);
            Assert.Equal(2, requests.Count);
            Assert.Matches("^bytes=[1-9][0-9]*-$", requests[1].Range);
            Assert.Equal($"\"{file.Sha256[..20]}\"", requests[1].IfRange);
        }
        Assert.Equal(files.Sum(f => f.Size), summary.BytesDownloaded);
        Assert.Equal(["BMS", "BMS", "BMS", "VCU", "VCU", "VCU", "ADAS", "ADAS", "ADAS"], _progress.Select(p => p.Ecu));
    }

    [Fact]
    public async Task BytesThatDoNotMatchTheDescribedSha256FailTheDownload()
    {
        var served = _server.Add("BMS", "bms.bin", Content(2 * MiB, seed: 9));
        var other = _server.Add("VCU", "vcu.bin", Content(MiB, seed: 10));
        var described = served with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(Content(2 * MiB, seed: 11))) };
        var (failure, summary) = await DownloadAsync([described, other]);

        Assert.Equal(DownloadFailure.Sha256Mismatch, failure?.InnerErrorCode);
        Assert.Empty(_server.RequestsFor("vcu.bin"));
        Assert.Equal(0, summary.FilesDownloaded);
        Assert.Equal(1, summary.DownloadFailuresByCode[DownloadFailure.Sha256Mismatch]);
    }

    [Fact]
    public async Task BytesThatDoNotMatchTheServersChecksumHeaderFailTheDownload()
    {
        var file = _server.Add("BMS", "bms.bin", Content(MiB, seed: 12));
        _server.AnnounceSha256("bms.bin", new string('0', 64));
        var (failure, _) = await DownloadAsync([file]);

        Assert.Equal(DownloadFailure.Sha256Mismatch, failure?.InnerErrorCode);
        Assert.Contains("X-Checksum-Sha256", failure!.Detail);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(-700_000)]
    public async Task AFileOfAnotherSizeThanDescribedFailsTheDownload(int difference)
    {
        var served = _server.Add("BMS", "bms.bin", Content(2 * MiB, seed: 13));
        var (failure, summary) = await DownloadAsync([served with { Size = served.Size + difference }]);

        Assert.Equal(DownloadFailure.SizeMismatch, failure?.InnerErrorCode);
        Assert.Equal(1, summary.DownloadFailuresByCode[DownloadFailure.SizeMismatch]);
        // A bigger file than described is given up as soon as it is bigger.
        if (difference < -100_000) Assert.True(summary.BytesDownloaded < 2L * MiB, $"{summary.BytesDownloaded} bytes read");
    }

    [Theory]
    [InlineData(403, "LINK_EXPIRED", "E-DL-LINK-EXPIRED")]
    [InlineData(403, "LINK_INVALID", "E-DL-LINK-INVALID")]
    [InlineData(404, "FILE_NOT_FOUND", "E-DL-HTTP-404")]
    [InlineData(403, null, "E-DL-HTTP-403")]
    public async Task ARefusedLinkFailsTheDownloadWithoutRetrying(int status, string? code, string innerErrorCode)
    {
        var first = _server.Add("BMS", "bms.bin", Content(MiB, seed: 14));
        var second = _server.Add("VCU", "vcu.bin", Content(MiB, seed: 15));
        _server.Refuse("bms.bin", status, code);
        var (failure, summary) = await DownloadAsync([first, second]);

        Assert.Equal(innerErrorCode, failure?.InnerErrorCode);
        Assert.Single(_server.Requests);
        Assert.Equal(1, summary.DownloadFailuresByCode[innerErrorCode]);
    }

    [Fact]
    public async Task AServerThatKeepsFailingEndsTheDownloadAfterTheRetries()
    {
        var file = _server.Add("BMS", "bms.bin", Content(MiB, seed: 16));
        _server.Refuse("bms.bin", 503, null);
        var (failure, _) = await DownloadAsync([file], new SimulatorOptions { DownloadRetries = 2 });

        Assert.Equal(DownloadFailure.TooManyRetries, failure?.InnerErrorCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task CancellingStopsARunningDownload()
    {
        var file = _server.Add("BMS", "bms.bin", Content(2 * MiB, seed: 17));
        _server.StallAfter("bms.bin", 100_000);
        using var cancel = new CancellationTokenSource();
        var summary = new SimulationSummary();
        var downloader = new PackageDownloader(_http, new SimulatorOptions(), summary) { StallTimeout = TimeSpan.FromMinutes(5) };
        var running = downloader.DownloadAsync("LTESTD00000000001", [file], new Random(1), (f, bytes, _) =>
        {
            if (bytes == 0) cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
            return Task.CompletedTask;
        }, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, summary.FilesDownloaded);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task KeepsTheFilesInTheDownloadFolderWhenAsked()
    {
        var content = Content(MiB + 3, seed: 18);
        var file = _server.Add("BMS", "bms.bin", content);
        _server.CutFirstAnswer("bms.bin", 300_000);
        var folder = Directory.CreateTempSubdirectory("ota-sim-kept-").FullName;
        try
        {
            var (failure, _) = await DownloadAsync([file], new SimulatorOptions { DownloadFolder = folder });

            Assert.Null(failure);
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(folder, "LTESTD00000000001", "bms.bin")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(DownloadMode.Auto, "https://ota-cdn.example.com/pkg/bms.bin", false)]
    [InlineData(DownloadMode.Auto, "https://OTA-CDN.example.com/pkg/bms.bin", false)]
    [InlineData(DownloadMode.Auto, "http://127.0.0.1:5080/files/v1/abc", true)]
    [InlineData(DownloadMode.Auto, "https://bucket.s3.eu-west-1.amazonaws.com/bms.bin?X-Amz-Signature=1", true)]
    [InlineData(DownloadMode.Auto, "ftp://files.example.org/bms.bin", false)]
    [InlineData(DownloadMode.Real, "https://ota-cdn.example.com/pkg/bms.bin", true)]
    [InlineData(DownloadMode.Pretend, "http://127.0.0.1:5080/files/v1/abc", false)]
    public void TheDownloadChoiceDecidesByTheUrlAlone(DownloadMode mode, string url, bool downloads) =>
        Assert.Equal(downloads, DownloadPolicy.Downloads(mode, new Uri(url)));

    [Fact]
    public async Task PretendedFilesAreNotFetched()
    {
        var demo = new PackageFile("BMS", "bms.bin", 1000, new string('a', 64), new Uri("https://ota-cdn.example.com/pkg/bms.bin"));
        var served = _server.Add("VCU", "vcu.bin", Content(MiB, seed: 19));
        var (failure, summary) = await DownloadAsync([demo, served]);

        Assert.Null(failure);
        Assert.Equal([("BMS", 500L), ("BMS", 1000L), ("VCU", 0L), ("VCU", MiB)], _progress);
        Assert.Equal(1, summary.FilesPretended);
        Assert.Equal(1, summary.FilesDownloaded);
    }

    private async Task<(DownloadFailure? Failure, SimulationSummary Summary)> DownloadAsync(IReadOnlyList<PackageFile> files, SimulatorOptions? options = null)
    {
        var summary = new SimulationSummary();
        var downloader = new PackageDownloader(_http, options ?? new SimulatorOptions(), summary) { RetryDelay = TimeSpan.FromMilliseconds(20) };
        var failure = await downloader.DownloadAsync("LTESTD00000000001", files, new Random(1), (file, bytes, _) =>
        {
            _progress.Enqueue((file.EcuCode, bytes));
            return Task.CompletedTask;
        }, CancellationToken.None);
        return (failure, summary);
    }

    private static byte[] Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
