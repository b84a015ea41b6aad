using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Platform.Files;
using Ota.Testing;

namespace Ota.Web.Tests.Apis.Files;

/// <summary>The app on real Kestrel with the default file limit, for a file larger than the sockets' buffers.</summary>
public sealed class LargeFileServingFixture : AppFixture
{
    public string BaseUrl { get; private set; } = "";

    protected override void Configure(OtaAppFactory app) => app.Settings["VehicleApi:CatalogCheckInterval"] = "00:00:00";

    protected override async Task StartAsync(OtaAppFactory app)
    {
        BaseUrl = app.StartOnLoopback();
        await new TestFleet(app.Services, Database).ImportDemoCatalogAsync();
    }
}

/// <summary>
/// Vehicles on a poor line (here: ones that stop reading altogether) must not hold up the others' downloads: the
/// server sends a bounded number of blocks at once, and a receiver that does not take its block lets its turn go.
/// </summary>
public sealed class StalledDownloads(LargeFileServingFixture fixture) : IClassFixture<LargeFileServingFixture>
{
    [Fact]
    public async Task MoreStalledReceiversThanSendingSlotsDoNotHoldUpAnotherVehiclesDownload()
    {
        // 48 MiB: far more than a loopback socket's buffers take, so a receiver that stops reading stalls its sender.
        var content = RandomNumberGenerator.GetBytes(48 << 20);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        const string key = "BIG-STALL-TEST";
        var json = $$"""{"ecuPackages": [{"key": "{{key}}", "ecu": "CDC", "version": "98.0.1", "fromVersion": null, "kind": "Ecu", "fileName": "big.bin", "fileSize": {{content.Length}}, "sha256": "{{sha}}", "url": "https://ota-cdn.example.com/big.bin"}]}""";
        var services = fixture.App.Services;
        Assert.True((await services.GetRequiredService<CatalogImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)))).Succeeded);
        var file = (await services.GetRequiredService<PackageFileUploads>().UploadAsync(key, new MemoryStream(content), content.Length, "big.bin", "test", CancellationToken.None)).File;
        var links = services.GetRequiredService<FileLinks>();
        var port = new Uri(fixture.BaseUrl).Port;

        // More vehicles than sending slots ask for the file and then read nothing.
        var stalled = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 48; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                client.ReceiveBufferSize = 64 * 1024;
                var path = FileLinks.PathOf(links.Token(file.Id, TestFleet.TestVin(500 + i, 'W'), DateTimeOffset.UtcNow.AddMinutes(5)));
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                stalled.Add(client);
            }
            await Task.Delay(1000);

            // Another vehicle still gets the whole file, promptly.
            using var http = new HttpClient { BaseAddress = new Uri(fixture.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            var url = FileLinks.PathOf(links.Token(file.Id, TestFleet.TestVin(499, 'W'), DateTimeOffset.UtcNow.AddMinutes(5)));
            var started = DateTime.UtcNow;
            var bytes = await http.GetByteArrayAsync(url);
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), $"the download took {DateTime.UtcNow - started}");
        }
        finally
        {
            foreach (var client in stalled) client.Dispose();
        }
    }
}
