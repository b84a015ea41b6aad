using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Catalog;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Bench;

/// <summary>
/// What the benchmarks share: the rows of their own vehicles (a VIN prefix each), counted and removed again so runs do
/// not add up in the run database, and the fleet simulator started as a second process.
/// </summary>
internal static class BenchData
{
    /// <summary>Rows of <paramref name="table"/> whose VIN starts with <paramref name="vinPrefix"/> (and match <paramref name="where"/>).</summary>
    public static async Task<long> CountAsync(MySqlConnectionFactory connections, string table, string vinPrefix, CancellationToken ct, string? where = null)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table} WHERE vin LIKE '{vinPrefix}%'{(where is null ? "" : " AND " + where)}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Deletes the bench vehicles of <paramref name="vinPrefix"/> and everything they caused. With
    /// <paramref name="taskName"/>, also their notices and the bench's tasks of that name. Returns the rows removed.
    /// </summary>
    public static async Task<long> RemoveAsync(MySqlConnectionFactory connections, string vinPrefix, CancellationToken ct, string? taskName = null,
        string taskCreatedBy = "bench")
    {
        await using var connection = await connections.OpenAsync(ct);
        var like = $"LIKE '{vinPrefix}%'";
        var statements = new List<string>
        {
            $"DELETE FROM ota_follow_up WHERE vin {like}",
            $"DELETE FROM ota_notification WHERE vin {like}",
            $"DELETE FROM ota_work_order WHERE vin {like}",
            $"DELETE FROM ota_vehicle_download_progress WHERE vin {like}",
            $"DELETE FROM ota_vehicle_upgrade_progress WHERE vin {like}",
            $"DELETE FROM ota_vehicle_upgrade_status WHERE vin {like}",
            $"DELETE FROM ota_vehicle_upgrade_command WHERE vin {like}",
            $"DELETE FROM ota_vehicle_eeprom_clear WHERE vin {like}",
            $"DELETE FROM ota_vehicle_event_receipt WHERE vin {like}",
            $"DELETE FROM ota_vehicle_latest_status WHERE vin {like}",
        };
        if (taskName is not null)
        {
            statements.Add($"DELETE FROM ota_vehicle_download_notice WHERE vin {like}");
            statements.Add($"DELETE FROM ota_task WHERE name LIKE '{taskName}%' AND created_by = '{taskCreatedBy}'");
        }
        statements.Add($"DELETE FROM ota_document WHERE collection = 'package_descriptions' AND JSON_VALUE(json, '$.vin') {like}");
        statements.Add($"DELETE FROM ota_vehicle WHERE vin {like}");
        long removed = 0;
        foreach (var sql in statements)
        {
            await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
            removed += await command.ExecuteNonQueryAsync(ct);
        }
        return removed;
    }

    /// <summary>
    /// The demo catalog and <paramref name="n"/> customer vehicles of the bench's own (VINs <paramref name="vinPrefix"/>
    /// and 12 digits, firmware 3.1.4, each with its secret) that a Normal S1-M1 task to 3.1.5 accepts; returns S1-M1's id.
    /// </summary>
    /// <param name="client">How the vehicles take their updates (<see cref="UpdateClient.Ddi"/>: they poll the DDI API).</param>
    public static async Task<long> CreateFleetAsync(IServiceProvider services, string vinPrefix, int n, TextWriter log, CancellationToken ct,
        UpdateClient client = UpdateClient.Native)
    {
        await using (var catalog = DemoWorld.OpenCatalog())
        {
            var report = await services.GetRequiredService<CatalogImporter>().ImportAsync(catalog, ct);
            if (!report.Succeeded) throw new InvalidOperationException(string.Join("; ", report.Problems.Take(3)));
        }
        await using var db = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync(ct);
        var seriesModel = await db.SeriesModels.SingleAsync(s => s.Code == "S1-M1", ct);
        log.WriteLine($"adding {n:N0} bench vehicles ({vinPrefix}…) …");
        await services.GetRequiredService<VehicleWriter>().UpsertAsync(Enumerable.Range(1, n).Select(i => new VehicleRow(
            VinOf(vinPrefix, i), seriesModel.Id, seriesModel.Platform, LifecycleStatus.Delivered, VehicleUsage.Production, Sold: true,
            Activated: true, PassengerCar: true, FirmwareVersion: "3.1.4", ConfigWord: null, Secret: SecretOf(VinOf(vinPrefix, i)), UpdateClient: client)), ct);
        return seriesModel.Id;
    }

    /// <summary>
    /// The fleet of <see cref="CreateFleetAsync"/> as the simulator reads it (vin,seriesModel,firmwareVersion,secret), with
    /// a ddiToken column when <paramref name="ddiTokens"/> (VIN → token) are given.
    /// </summary>
    public static async Task WriteVehiclesFileAsync(string path, string vinPrefix, int n, CancellationToken ct,
        IReadOnlyDictionary<string, string>? ddiTokens = null)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        await writer.WriteLineAsync(ddiTokens is null ? "vin,seriesModel,firmwareVersion,secret" : "vin,seriesModel,firmwareVersion,secret,ddiToken");
        for (var i = 1; i <= n; i++)
        {
            var vin = VinOf(vinPrefix, i);
            var line = $"{vin},S1-M1,3.1.4,{SecretOf(vin)}{(ddiTokens is null ? "" : "," + ddiTokens.GetValueOrDefault(vin))}";
            await writer.WriteLineAsync(line.AsMemory(), ct);
        }
    }

    /// <summary>
    /// How long the follow-ups of the bench vehicles' status reports took: from a report's receipt to the last of its
    /// actions done (decided, delivered, or given up), over every report that has one; percentiles by nearest rank.
    /// </summary>
    public static async Task<FollowUpLag> FollowUpLagAsync(MySqlConnectionFactory connections, string vinPrefix,
        CancellationToken ct, DateTime? receivedSince = null)
    {
        var lags = new List<double>();
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand($"""
            SELECT TIMESTAMPDIFF(MICROSECOND, s.received_at, MAX(f.done_at)) FROM ota_vehicle_upgrade_status s
            JOIN ota_follow_up f ON f.status_id = s.id
            WHERE s.vin LIKE '{vinPrefix}%' AND f.done_at IS NOT NULL AND s.received_at >= @since GROUP BY s.id
            """, connection) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("@since", receivedSince ?? new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) lags.Add(Math.Max(0, reader.GetInt64(0)) / 1000.0);
        }
        lags.Sort();
        return new FollowUpLag(lags);
    }

    /// <summary>Follow-up lags (milliseconds, sorted): percentiles by nearest rank and a histogram.</summary>
    public sealed class FollowUpLag(List<double> sorted)
    {
        private static readonly double[] Bounds = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];

        public int Reports => sorted.Count;
        public TimeSpan P50 => Rank(0.5);
        public TimeSpan P99 => Rank(0.99);
        public TimeSpan Max => sorted.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(sorted[^1]);

        private TimeSpan Rank(double p) => sorted.Count == 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)]);

        /// <summary>"≤ 0.25 s 61,020 · ≤ 0.5 s 9,001 · …": how many reports fell in each band, the empty bands left out.</summary>
        public string Histogram()
        {
            var counts = new int[Bounds.Length + 1];
            foreach (var lag in sorted)
            {
                var band = Array.FindIndex(Bounds, bound => lag <= bound);
                counts[band < 0 ? Bounds.Length : band]++;
            }
            var bands = counts.Select((n, i) => (n, i)).Where(x => x.n > 0).Select(x => x.i < Bounds.Length
                ? FormattableString.Invariant($"≤ {Bounds[x.i] / 1000:0.##} s {x.n:N0}")
                : FormattableString.Invariant($"> {Bounds[^1] / 1000:0} s {x.n:N0}")).ToList();
            return bands.Count == 0 ? "no reports" : string.Join(" · ", bands);
        }
    }

    /// <summary>When the last follow-up of the bench vehicles' reports was done (decided, delivered, or given up).</summary>
    public static async Task<DateTimeOffset> FollowUpsDoneAtAsync(MySqlConnectionFactory connections, string vinPrefix, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand($"SELECT MAX(done_at) FROM ota_follow_up WHERE vin LIKE '{vinPrefix}%'", connection) { CommandTimeout = 0 };
        var last = await command.ExecuteScalarAsync(ct);
        return last is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.UtcNow;
    }

    public static string VinOf(string vinPrefix, int i) => vinPrefix + i.ToString("D12", CultureInfo.InvariantCulture);

    private static string SecretOf(string vin) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("bench-e2e:" + vin)), 0, 16);

    /// <summary>
    /// The fleet simulator (`Ota.Simulator`, built by `./ota bench`) for <paramref name="vehiclesFile"/>, printing its
    /// summary as JSON at the end. Its standard input is ours: closing it stops a simulator started with --until-input-ends.
    /// </summary>
    public static (Process Simulator, Task<string> Output) StartSimulator(string simulatorDll, string vehiclesFile, string baseUrl, int mqttPort,
        CancellationToken ct, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var a in new[] { simulatorDll, "--vehicles-file", vehiclesFile, "--url", baseUrl, "--mqtt-port", mqttPort.ToString(CultureInfo.InvariantCulture),
                     "--failure-rate", "0.1", "--command-rate", "0.1", "--json" }.Concat(options))
            start.ArgumentList.Add(a);
        var simulator = Process.Start(start)!;
        return (simulator, simulator.StandardOutput.ReadToEndAsync(ct));
    }
}
