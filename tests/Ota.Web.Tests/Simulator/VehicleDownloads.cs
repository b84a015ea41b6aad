using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ota.Domain;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Simulator;

namespace Ota.Web.Tests.Simulator;

/// <summary>
/// A simulated vehicle's upgrade with real downloads: what it reports while it downloads, how a file that does not
/// match ends its upgrade, that a drawn download failure still downloads nothing, and that a cancel notice stops it.
/// </summary>
public sealed class VehicleDownloads : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private PackageFileServer _files = null!;
    private VehicleApiStandIn _api = null!;
    private HttpClient _apiHttp = null!;
    private readonly HttpClient _filesHttp = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SimulatedVehicle _vehicle = new("LTESTD00000000002", "S1-M1", "3.1.4", "secret");
    private readonly NoticeMessage _notice = new("m-1", 42, "LTESTD00000000002", "3.1.5", 7, "Normal", "OTA1");

    public async Task InitializeAsync()
    {
        _files = await PackageFileServer.StartAsync();
        _api = await VehicleApiStandIn.StartAsync();
        _apiHttp = new HttpClient { BaseAddress = _api.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _apiHttp.Dispose();
        _filesHttp.Dispose();
        await _api.DisposeAsync();
        await _files.DisposeAsync();
    }

    [Fact]
    public async Task ReportsTheRealByteCountsOfEachFileThenUpgrades()
    {
        var bms = _files.Add("BMS", "bms.bin", Content(2 * MiB + 9, seed: 1));
        var vcu = _files.Add("VCU", "vcu.bin", Content(MiB, seed: 2));
        _api.Describe(bms, vcu);
        var summary = await UpgradeAsync(new SimulatorOptions { FailureRate = 0, CommandRate = 0, CutRate = 1 });

        var progress = _api.Events.Where(e => Type(e) == "DownloadProgress").ToList();
        Assert.All(progress, e => Assert.Equal(7, e["packageId"]!.GetValue<long>()));
        Assert.Equal(["BMS", "BMS", "BMS", "VCU", "VCU", "VCU"], progress.Select(e => e["ecuCode"]!.GetValue<string>()));
        Assert.Equal([0L, 2L * MiB + 9, 0L, MiB], progress.Where((_, i) => i % 3 != 1).Select(e => e["bytesDownloaded"]!.GetValue<long>()));
        Assert.All(progress.Where((_, i) => i % 3 == 1), e => Assert.InRange(e["bytesDownloaded"]!.GetValue<long>(), 1, 2L * MiB + 8));
        Assert.Equal([2L * MiB + 9, 2L * MiB + 9, 2L * MiB + 9, MiB, MiB, MiB], progress.Select(e => e["totalBytes"]!.GetValue<long>()));
        Assert.Equal(["Downloaded", "WaitingForUpgrade", "Upgrading", "Succeeded"], States());
        Assert.Equal(2, summary.FilesDownloaded);
        Assert.Equal(2, summary.TransfersResumed);
        Assert.Equal(1, summary.Successes);
    }

    [Fact]
    public async Task AFileThatDoesNotMatchItsDescriptionFailsTheUpgradeAsDownloadFailed()
    {
        var bms = _files.Add("BMS", "bms.bin", Content(MiB, seed: 3));
        var vcu = _files.Add("VCU", "vcu.bin", Content(MiB, seed: 4));
        _api.Describe(bms with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(Content(MiB, seed: 5))) }, vcu);
        var summary = await UpgradeAsync(new SimulatorOptions { FailureRate = 0, CommandRate = 0, RecordOutcomes = true });

        var failed = Assert.Single(_api.Events, e => Type(e) == "UpgradeStatus");
        Assert.Equal("Failed", failed["state"]!.GetValue<string>());
        Assert.Equal("DownloadFailed", failed["errorType"]!.GetValue<string>());
        Assert.Equal("E-DL-SHA256", failed["innerErrorCode"]!.GetValue<string>());
        Assert.Empty(_files.RequestsFor("vcu.bin"));
        Assert.DoesNotContain(_api.Events, e => Type(e) == "UpgradeProgress");
        Assert.Equal(1, summary.FailuresByType["DownloadFailed"]);
        Assert.Equal(1, summary.DownloadFailuresByCode["E-DL-SHA256"]);
        Assert.Equal("DownloadFailed", summary.Outcomes[_vehicle.Vin]);
    }

    [Fact]
    public async Task ADrawnDownloadFailureFailsAsBeforeWithoutDownloading()
    {
        _api.Describe(_files.Add("BMS", "bms.bin", Content(MiB, seed: 6)));
        await UpgradeAsync(new SimulatorOptions { FailureRate = 1, FailureTypes = [(ErrorType.DownloadFailed, 1)], CommandRate = 0 });

        Assert.Empty(_files.Requests);
        var failed = Assert.Single(_api.Events, e => Type(e) == "UpgradeStatus");
        Assert.Equal("E-DL-TIMEOUT", failed["innerErrorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ACancelNoticeStopsARunningDownload()
    {
        _api.Describe(_files.Add("BMS", "bms.bin", Content(2 * MiB, seed: 7)));
        _files.StallAfter("bms.bin", 200_000);
        var summary = new SimulationSummary();
        var options = new SimulatorOptions { FailureRate = 0, CommandRate = 0 };
        var running = Behaviour(options, summary).UpgradeAsync(_vehicle, _notice, new Random(1), CancellationToken.None);
        var waited = TimeSpan.Zero;
        while (!_api.Events.Any(e => Type(e) == "DownloadProgress") && waited < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
            waited += TimeSpan.FromMilliseconds(50);
        }
        _vehicle.CurrentUpgrade!.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(["Cancelled"], States());
        Assert.Equal(1, summary.Cancelled);
        Assert.Equal(0, summary.FilesDownloaded);
    }

    private async Task<SimulationSummary> UpgradeAsync(SimulatorOptions options)
    {
        var summary = new SimulationSummary { RecordOutcomes = options.RecordOutcomes };
        await Behaviour(options, summary).UpgradeAsync(_vehicle, _notice, new Random(1), CancellationToken.None);
        Assert.Equal(0, summary.ProtocolErrors);
        return summary;
    }

    private VehicleBehaviour Behaviour(SimulatorOptions options, SimulationSummary summary)
    {
        var api = new VehicleApiClient(_apiHttp);
        return new(api, new SigningKeyRing(api, _vehicle), new PackageDownloader(_filesHttp, options, summary) { RetryDelay = TimeSpan.FromMilliseconds(20) }, options, summary);
    }

    private List<string> States() => _api.Events.Where(e => Type(e) == "UpgradeStatus").Select(e => e["state"]!.GetValue<string>()).ToList();

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    private static byte[] Content(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
