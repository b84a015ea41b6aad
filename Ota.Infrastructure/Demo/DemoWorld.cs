using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Keys;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Demo;

/// <summary>
/// The demo world of `./ota run` and `./ota demo`: the demo catalog plus N generated vehicles and a few list
/// entries. Everything is deterministic (same N, same master key → same rows and secrets), so it is idempotent.
/// </summary>
public sealed class DemoWorld(
    CatalogImporter catalog, DemoFiles files, VehicleWriter vehicles, VehicleListImporter lists, IDbContextFactory<OtaDbContext> contexts,
    IOptions<KeyOptions> keyOptions, IOptions<OtaOptions> options)
{
    public const string VinPrefix = "LDEM0";

    private static readonly (string Code, char Letter, int Weight)[] Mix =
        [("S1-M1", 'A', 8), ("S1-M2", 'B', 5), ("S2-M1", 'C', 5), ("S3-M1", 'D', 2)];

    public static Stream OpenCatalog() =>
        typeof(DemoWorld).Assembly.GetManifestResourceStream("demo-catalog.json")
        ?? throw new InvalidOperationException("The demo catalog resource is missing from the build.");

    /// <summary>The VIN of demo vehicle number <paramref name="index"/> (1-based).</summary>
    public static string VinOf(int index) => $"{VinPrefix}{Letter(index)}{index.ToString("D11", CultureInfo.InvariantCulture)}";

    public async Task<DemoReport> LoadAsync(int vehicleCount, bool ifMissing, TextWriter log, CancellationToken cancellationToken = default)
    {
        await using (var stream = OpenCatalog())
        {
            var report = await catalog.ImportAsync(stream, cancellationToken);
            if (!report.Succeeded)
                throw new InvalidOperationException("The demo catalog does not import: " + string.Join("; ", report.Problems.Take(5)));
            log.WriteLine($"catalog: {Describe(report)}");
        }
        var stored = await files.StoreMissingAsync(cancellationToken);
        log.WriteLine(stored == 0 ? "package files: all stored" : $"package files: {stored} stored");

        var secretsFile = Path.Combine(options.Value.DataFolder, "demo-vehicles.csv");
        var existing = await CountDemoVehiclesAsync(cancellationToken);
        var loadVehicles = !(ifMissing && existing >= vehicleCount);
        var seriesModels = await LoadSeriesModelsAsync(cancellationToken);
        var secretKey = SecretKey();
        if (loadVehicles)
        {
            var result = await vehicles.UpsertAsync(Enumerable.Range(1, vehicleCount).Select(i => Generate(i, seriesModels, secretKey)), cancellationToken);
            log.WriteLine($"vehicles: {result.Inserted} inserted, {result.Updated} updated or unchanged");
            await AddListsAsync(vehicleCount, log, cancellationToken);
        }
        else log.WriteLine($"vehicles: {existing} demo vehicles already loaded");

        if (loadVehicles || !File.Exists(secretsFile))
            await WriteSecretsAsync(secretsFile, vehicleCount, seriesModels, secretKey, cancellationToken);
        log.WriteLine($"demo vehicle secrets: {secretsFile}");
        return new DemoReport(vehicleCount, secretsFile);
    }

    private async Task AddListsAsync(int count, TextWriter log, CancellationToken ct)
    {
        (VehicleListKind Kind, int Every, string Reason)[] lists_ =
        [
            (VehicleListKind.Blacklist, 500, "demo: battery recall hold"),
            (VehicleListKind.WhitelistForced, 700, "demo: engineering fleet forced upgrade"),
            (VehicleListKind.WhitelistSameVersion, 900, "demo: re-flash allowed"),
            (VehicleListKind.WhitelistDowngrade, 1100, "demo: rollback allowed"),
        ];
        foreach (var (kind, every, reason) in lists_)
        {
            var vins = Enumerable.Range(1, count / every).Select(k => (VinOf(k * every), (string?)reason)).ToList();
            if (vins.Count == 0) continue;
            var added = await lists.AddAsync(kind, vins, ct);
            log.WriteLine($"{kind.Name}: {added} added, {vins.Count - added} already there");
        }
    }

    private VehicleRow Generate(int i, IReadOnlyDictionary<string, (long Id, string Platform)> seriesModels, byte[] secretKey)
    {
        var vin = VinOf(i);
        var code = SeriesModelOf(i);
        var sm = seriesModels[code];
        var r = Hash(i);
        var usage = r % 10 == 0 ? VehicleUsage.Engineering : VehicleUsage.Production;
        var lifecycle = (r / 10 % 100) switch
        {
            < 3 => LifecycleStatus.Produced,
            < 6 => LifecycleStatus.FinalAssemblyOffline,
            < 10 => LifecycleStatus.OkOffline,
            < 15 => LifecycleStatus.CertificatePrinted,
            < 20 => LifecycleStatus.InStock,
            _ => LifecycleStatus.Delivered,
        };
        var sold = lifecycle == LifecycleStatus.Delivered;
        var activated = sold && r / 1000 % 20 != 0;
        var firmware = (r / 20000 % 200) switch
        {
            0 => "0",
            < 30 => code == "S1-M2" ? "4.2.1" : "3.1.5",
            _ => code == "S1-M2" ? "4.2.0" : "3.1.4",
        };
        string? configWord = code == "S1-M2"
            ? (r / 4_000_000 % 100) switch { 0 => null, < 30 => "CW-STD-NOADAS", _ => "CW-STD-ADAS" }
            : null;
        return new VehicleRow(vin, sm.Id, sm.Platform, lifecycle, usage, sold, activated, PassengerCar: code != "S3-M1",
            firmware, configWord, SecretOf(secretKey, vin));
    }

    private async Task WriteSecretsAsync(string path, int count, IReadOnlyDictionary<string, (long Id, string Platform)> seriesModels,
        byte[] secretKey, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        await using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false), 1 << 16))
        {
            await writer.WriteLineAsync("vin,seriesModel,firmwareVersion,secret");
            for (var i = 1; i <= count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var row = Generate(i, seriesModels, secretKey);
                await writer.WriteLineAsync($"{row.Vin},{SeriesModelOf(i)},{row.FirmwareVersion},{row.Secret}");
            }
        }
        File.Move(temp, path, overwrite: true);
    }

    private async Task<int> CountDemoVehiclesAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Vehicles.CountAsync(v => v.Vin.StartsWith(VinPrefix), ct);
    }

    private async Task<Dictionary<string, (long Id, string Platform)>> LoadSeriesModelsAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SeriesModels.AsNoTracking().ToDictionaryAsync(s => s.Code, s => (s.Id, s.Platform), ct);
    }

    /// <summary>Demo secrets are derived from the master key, so they survive a reload and differ between installations.</summary>
    private byte[] SecretKey() => HMACSHA256.HashData(
        keyOptions.Value.TryDecodeMasterKey() ?? throw new InvalidOperationException("Keys:MasterKey is missing or malformed."),
        "ota-demo-vehicle-secrets"u8);

    private static string SecretOf(byte[] key, string vin) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(vin)), 0, 16);

    private static string SeriesModelOf(int i)
    {
        var bucket = i % 20;
        foreach (var (code, _, weight) in Mix)
        {
            if (bucket < weight) return code;
            bucket -= weight;
        }
        return Mix[0].Code;
    }

    private static char Letter(int i) => Mix.First(m => m.Code == SeriesModelOf(i)).Letter;

    /// <summary>A cheap deterministic spread of the vehicle index (splitmix-style), so attributes look random but repeat.</summary>
    private static long Hash(int i)
    {
        var z = (ulong)i * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)((z ^ (z >> 31)) >> 1);
    }

    private static string Describe(ImportReport report) =>
        report.Written.Count == 0 ? "unchanged" : string.Join(", ", report.Written.Select(kv => $"{kv.Value} {kv.Key}"));
}

public sealed record DemoReport(int Vehicles, string SecretsFile);
