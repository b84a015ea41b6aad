using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Ota.Domain;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Catalog.Files;
using Ota.Infrastructure.Ddi;
using Ota.Infrastructure.Fleet;
using Ota.Testing;

namespace Ota.Web.Tests.Apis.Ddi;

/// <summary>
/// A world for Debian's SWUpdate (suricatta in hawkBit mode, SPEC §14): a signed <c>.swu</c> built here with the openssl
/// CLI and cpio (SWUpdate accepts signed images only; its one handler writes a file into a scratch folder), a catalog
/// whose one ECU package is that image, stored; DDI vehicles with tokens. <see cref="RunAsync"/> runs the real client.
/// </summary>
public sealed class SwupdateFixture : DdiFixture
{
    public const string SeriesModel = "SWU-M1";
    public const string PackageKey = "HU-2.1.0-full";
    public const string Hardware = "ota-ecu:1.0";
    public const string Payload = "head unit software 2.1.0\n";

    public string Folder { get; } = Directory.CreateTempSubdirectory("ota-swupdate-").FullName;

    public string Certificate => Path.Combine(Folder, "cert.pem");

    /// <summary>SWUpdate's configuration: the attributes it identifies itself with (sent as configData).</summary>
    public string ConfigFile => Path.Combine(Folder, "swupdate.cfg");

    /// <summary>Where the image's one handler writes <see cref="Payload"/>.</summary>
    public string InstalledFile => Path.Combine(Folder, "installed", "head-unit.txt");

    protected override async Task StartAsync(OtaAppFactory app)
    {
        await base.StartAsync(app);
        Directory.CreateDirectory(Path.Combine(Folder, "installed"));
        await File.WriteAllTextAsync(ConfigFile, """
            globals : { verbose = true; loglevel = 6; };
            identify : (
                { name = "hwRevision"; value = "1.0"; },
                { name = "board"; value = "ota-ecu"; }
            );
            """);
        var image = await BuildSignedImageAsync();
        var bytes = await File.ReadAllBytesAsync(image);
        var catalog = $$"""
            {
              "seriesModels": [{ "code": "{{SeriesModel}}", "series": "SWU", "model": "M1", "platform": "PSWU", "name": "SWUpdate bench" }],
              "ecus": [{ "code": "HU", "name": "Head unit" }],
              "ecuPackages": [{ "key": "{{PackageKey}}", "ecu": "HU", "version": "2.1.0", "fromVersion": null, "kind": "Ecu",
                                "fileName": "hu-2.1.0.swu", "fileSize": {{bytes.Length}}, "sha256": "{{Convert.ToHexStringLower(SHA256.HashData(bytes))}}",
                                "url": "https://ota-cdn.example.com/hu/hu-2.1.0.swu" }],
              "packages": [{ "seriesModel": "{{SeriesModel}}", "version": "2.1.0", "fromVersion": null, "type": "Full", "generation": "OTA1",
                             "status": "Released", "baseline": null, "encrypted": false, "upgradePrompt": "Head unit 2.1.0", "upgradeResult": "Done",
                             "ecuPackages": ["{{PackageKey}}"] }],
              "strategies": [{ "name": "SWU standard", "packageType": "Full", "versionCompare": "Auto", "upgradeMode": "Silent",
                               "ecus": [{ "ecu": "HU", "order": 1, "isUpgrade": true }],
                               "seriesModels": [{ "seriesModel": "{{SeriesModel}}", "isDefault": true }], "vins": [] }]
            }
            """;
        var report = await Get<CatalogImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(catalog)));
        if (!report.Succeeded) throw new InvalidOperationException(string.Join("\n", report.Problems));
        await using var content = File.OpenRead(image);
        await Get<PackageFileUploads>().UploadAsync(PackageKey, content, bytes.Length, "hu-2.1.0.swu", "test", CancellationToken.None);
    }

    /// <summary>SWU-M1 vehicles at 1.1.0 taking their updates by DDI, with their tokens.</summary>
    public async Task<(string Vin, string Token)> HeadUnitAsync(int n)
    {
        var vin = TestFleet.TestVin(n, 'K');
        var seriesModel = await new TestFleet(App.Services, Database).SeriesModelIdAsync(SeriesModel);
        await Get<VehicleWriter>().UpsertAsync([new VehicleRow(vin, seriesModel, "PSWU", LifecycleStatus.Delivered, VehicleUsage.Production,
            Sold: true, Activated: true, PassengerCar: true, "1.1.0", null, null, UpdateClient.Ddi)]);
        return (vin, (await Get<DdiTokens>().IssueAsync(vin, CancellationToken.None))!.Value.Token);
    }

    /// <summary>
    /// Runs <c>swupdate</c> as suricatta against the app until <paramref name="until"/> holds (or 90 s pass), then stops
    /// it. One at a time: SWUpdate binds a machine-wide abstract socket. <paramref name="state"/> 2 is SWUpdate's
    /// "testing" state after a reboot, in which it reports the installed update's success.
    /// </summary>
    public async Task<string> RunAsync(string vin, string token, Func<Task<bool>> until, string what, int? state = null)
    {
        var scratch = Directory.CreateTempSubdirectory("ota-swupdate-run-").FullName;
        var start = new ProcessStartInfo("swupdate") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["TMPDIR"] = scratch;
        foreach (var arg in new[] { "-v", "-H", Hardware, "-k", Certificate, "-f", ConfigFile, "-u",
                     $"-t {Tenant} -u {BaseUrl} -i {vin} -k {token} -p 2 -w 1 -r 3{(state is { } s ? $" -c {s}" : "")}" })
            start.ArgumentList.Add(arg);
        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!await until())
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    lock (log) Assert.Fail($"SWUpdate {(process.HasExited ? $"exited with {process.ExitCode}" : "ran 90 s")} before {what}:\n{log}");
                }
                await Task.Delay(200);
            }
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(scratch, recursive: true);
        }
        lock (log) return log.ToString();
    }

    /// <summary>A signed .swu whose one file (SWUpdate's rawfile handler) is <see cref="Payload"/>, written to <see cref="InstalledFile"/>.</summary>
    private async Task<string> BuildSignedImageAsync()
    {
        var work = Path.Combine(Folder, "swu");
        Directory.CreateDirectory(work);
        await File.WriteAllTextAsync(Path.Combine(work, "payload.txt"), Payload);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Payload)));
        await File.WriteAllTextAsync(Path.Combine(work, "sw-description"), $$"""
            software =
            {
                version = "2.1.0";
                description = "OTA console DDI test";
                hardware-compatibility: [ "1.0" ];
                files: (
                    {
                        filename = "payload.txt";
                        path = "{{InstalledFile}}";
                        sha256 = "{{sha}}";
                    }
                );
            }
            """);
        await ShellAsync(work, "openssl req -x509 -newkey rsa:2048 -nodes -keyout priv.pem -out ../cert.pem -subj '/O=OTA test/CN=ota-swu-signer' -days 30");
        await ShellAsync(work, "openssl cms -sign -in sw-description -out sw-description.sig -signer ../cert.pem -inkey priv.pem -outform DER -nosmimecap -binary");
        // The order matters: sw-description first, then its signature, then the images.
        await ShellAsync(work, "printf 'sw-description\\nsw-description.sig\\npayload.txt\\n' | cpio -o -H crc --quiet > hu-2.1.0.swu");
        return Path.Combine(work, "hu-2.1.0.swu");
    }

    private static async Task ShellAsync(string folder, string command)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {error}");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
