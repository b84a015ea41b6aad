using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;
using Ota.Infrastructure.Platform.Persistence.Configurations;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Fleet;

/// <summary>Which list an import or an operator edits: the blacklist or one of the three whitelists.</summary>
public sealed record VehicleListKind(string Name, WhitelistType? WhitelistType)
{
    public static readonly VehicleListKind Blacklist = new("blacklist", null);
    public static readonly VehicleListKind WhitelistForced = new("whitelist-forced", Domain.WhitelistType.Forced);
    public static readonly VehicleListKind WhitelistSameVersion = new("whitelist-same-version", Domain.WhitelistType.SameVersion);
    public static readonly VehicleListKind WhitelistDowngrade = new("whitelist-downgrade", Domain.WhitelistType.Downgrade);

    public static readonly IReadOnlyList<VehicleListKind> All = [Blacklist, WhitelistForced, WhitelistSameVersion, WhitelistDowngrade];

    public static VehicleListKind? Parse(string name) => All.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Imports black/white list entries (a `vin` column, optional `reason`). A VIN already actively on the list is
/// left as it is, so importing the same file twice changes nothing. Whole file validated first.
/// </summary>
public sealed class VehicleListImporter(MySqlConnectionFactory connections, TimeProvider clock)
{
    private sealed record Entry(string Vin, string? Reason);

    private static readonly BulkColumn<Entry>[] Columns =
    [
        new("vin", typeof(string), e => e.Vin),
        new("reason", typeof(string), e => e.Reason),
    ];

    public async Task<ImportReport> ImportAsync(VehicleListKind kind, Func<Stream> open, string fileName, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport();
        var format = TabularFile.FormatOf(fileName);
        List<Entry> entries;
        using (var stream = open())
        {
            entries = Parse(TabularFile.ReadRows(stream, format), report).ToList();
        }
        report.RowsRead = entries.Count;
        if (!report.Succeeded) return report;
        if (entries.Count == 0)
        {
            report.Problem(2, "vin", "the file has no rows");
            return report;
        }
        var added = await AddAsync(kind, entries, cancellationToken);
        report.Count($"{kind.Name} entries added", added);
        report.Count($"{kind.Name} entries already present", entries.Count - added);
        return report;
    }

    public Task<ImportReport> ImportFileAsync(VehicleListKind kind, string path, CancellationToken cancellationToken = default) =>
        ImportAsync(kind, () => File.OpenRead(path), path, cancellationToken);

    /// <summary>Adds VINs to a list (used by the console too); returns how many were not already on it.</summary>
    public async Task<int> AddAsync(VehicleListKind kind, IReadOnlyCollection<(string Vin, string? Reason)> vins, CancellationToken cancellationToken = default) =>
        await AddAsync(kind, vins.Select(v => new Entry(v.Vin, v.Reason)).ToList(), cancellationToken);

    private async Task<int> AddAsync(VehicleListKind kind, List<Entry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using (var create = new MySqlCommand(
            $"CREATE TEMPORARY TABLE tmp_list_import (vin {VinColumn.SqlType} NOT NULL PRIMARY KEY, reason VARCHAR(255) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await BulkLoader.LoadAsync(connection, null, "tmp_list_import", entries, Columns, cancellationToken);
        var sql = kind.WhitelistType is null
            ? """
              INSERT INTO ota_vehicle_blacklist (vin, reason, is_delete, created_at)
              SELECT t.vin, t.reason, 0, @now FROM tmp_list_import t
              WHERE NOT EXISTS (SELECT 1 FROM ota_vehicle_blacklist b WHERE b.vin = t.vin AND b.is_delete = 0)
              """
            : """
              INSERT INTO ota_vehicle_whitelist (vin, type, reason, is_delete, created_at)
              SELECT t.vin, @type, t.reason, 0, @now FROM tmp_list_import t
              WHERE NOT EXISTS (SELECT 1 FROM ota_vehicle_whitelist w WHERE w.vin = t.vin AND w.type = @type AND w.is_delete = 0)
              """;
        await using var insert = new MySqlCommand(sql, connection);
        insert.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
        insert.Parameters.AddWithValue("@type", kind.WhitelistType?.ToString());
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IEnumerable<Entry> Parse(IEnumerable<TabularRow> rows, ImportReport report)
    {
        HeaderMap? header = null;
        int vinColumn = -1, reasonColumn = -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (header is null)
            {
                header = new HeaderMap(row);
                vinColumn = header.IndexOf("vin");
                reasonColumn = header.IndexOf("reason");
                if (vinColumn < 0)
                {
                    report.Problem(1, "vin", "the header row has no vin column");
                    yield break;
                }
                continue;
            }
            if (row.IsBlank) continue;
            var text = row[vinColumn]?.Trim();
            var vin = Vin.Normalize(text);
            var reason = reasonColumn >= 0 ? row[reasonColumn]?.Trim() : null;
            if (FieldParsers.IsBlank(text)) report.Problem(row.RowNumber, "vin", "missing");
            else if (vin is null) report.Problem(row.RowNumber, "vin", $"'{text}' is not a VIN (17 characters A-Z and 0-9, without I, O, Q)");
            else if (reason is { Length: > 255 }) report.Problem(row.RowNumber, "reason", "longer than 255 characters");
            else if (seen.Add(vin)) yield return new Entry(vin, FieldParsers.IsBlank(reason) ? null : reason);
        }
        if (header is null) report.Problem(1, "vin", "the file is empty: expected a header row");
    }
}
