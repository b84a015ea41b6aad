using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;

namespace Ota.Infrastructure.Fleet;

/// <summary>
/// Imports vehicles from .csv/.xlsx (SPEC §11). The whole file is validated first; when any row is bad
/// every bad row is reported and nothing is written. The file is read twice rather than held in memory.
/// </summary>
public sealed class VehicleImporter(IDbContextFactory<OtaDbContext> contexts, VehicleWriter writer)
{
    public static readonly string[] Columns =
        ["vin", "seriesModel", "platform", "lifecycleStatus", "usage", "sold", "activated", "passengerCar", "firmwareVersion", "configWord", "secret", "updateClient"];

    private static readonly string[] Required = ["vin", "seriesModel", "lifecycleStatus", "usage", "sold", "activated", "passengerCar"];

    public async Task<ImportReport> ImportAsync(Func<Stream> open, string fileName, CancellationToken cancellationToken = default)
    {
        var report = new ImportReport();
        var format = TabularFile.FormatOf(fileName);
        var seriesModels = await LoadSeriesModelsAsync(cancellationToken);

        using (var stream = open())
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var _ in Parse(TabularFile.ReadRows(stream, format), seriesModels, report, seen)) report.RowsRead++;
        }
        if (!report.Succeeded) return report;
        if (report.RowsRead == 0)
        {
            report.Problem(2, "vin", "the file has no vehicle rows");
            return report;
        }

        using var second = open();
        var result = await writer.UpsertAsync(
            Parse(TabularFile.ReadRows(second, format), seriesModels, new ImportReport(), new HashSet<string>(StringComparer.Ordinal)),
            cancellationToken);
        report.Count("vehicles inserted", result.Inserted);
        report.Count("vehicles updated or unchanged", result.Updated);
        return report;
    }

    public Task<ImportReport> ImportFileAsync(string path, CancellationToken cancellationToken = default) =>
        ImportAsync(() => File.OpenRead(path), path, cancellationToken);

    private async Task<Dictionary<string, (long Id, string Platform)>> LoadSeriesModelsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.SeriesModels.AsNoTracking()
            .ToDictionaryAsync(s => s.Code, s => (s.Id, s.Platform), StringComparer.OrdinalIgnoreCase, cancellationToken);
    }

    private static IEnumerable<VehicleRow> Parse(IEnumerable<TabularRow> rows, Dictionary<string, (long Id, string Platform)> seriesModels,
        ImportReport report, HashSet<string> seen)
    {
        HeaderMap? header = null;
        int[] idx = [];
        foreach (var row in rows)
        {
            if (header is null)
            {
                header = new HeaderMap(row);
                var missing = Required.Where(c => !header.Has(c)).ToList();
                if (missing.Count > 0)
                {
                    foreach (var m in missing) report.Problem(1, m, "the header row has no such column");
                    yield break;
                }
                idx = Columns.Select(header.IndexOf).ToArray();
                continue;
            }
            if (row.IsBlank) continue;
            var vehicle = ParseRow(row, idx, seriesModels, report, seen);
            if (vehicle is not null) yield return vehicle;
        }
        if (header is null) report.Problem(1, "vin", "the file is empty: expected a header row");
    }

    private static VehicleRow? ParseRow(TabularRow row, int[] idx, Dictionary<string, (long Id, string Platform)> seriesModels,
        ImportReport report, HashSet<string> seen)
    {
        string? Cell(int column) => idx[column] >= 0 ? row[idx[column]]?.Trim() : null;
        var n = row.RowNumber;
        var ok = true;
        void Bad(string column, string reason) { report.Problem(n, column, reason); ok = false; }

        var vinText = Cell(0);
        var vin = Vin.Normalize(vinText);
        if (FieldParsers.IsBlank(vinText)) Bad("vin", "missing");
        else if (vin is null) Bad("vin", $"'{vinText}' is not a VIN (17 characters A-Z and 0-9, without I, O, Q)");
        else if (!seen.Add(vin)) Bad("vin", $"{vin} appears more than once in the file");

        var smCode = Cell(1);
        (long Id, string Platform) sm = default;
        if (FieldParsers.IsBlank(smCode)) Bad("seriesModel", "missing");
        else if (!seriesModels.TryGetValue(smCode, out sm)) Bad("seriesModel", $"unknown series-model '{smCode}' (import the catalog first)");

        var platform = Cell(2);
        if (FieldParsers.IsBlank(platform)) platform = sm.Platform;

        if (!FieldParsers.TryEnum(Cell(3), out LifecycleStatus status))
            Bad("lifecycleStatus", $"'{Cell(3)}' is not one of {FieldParsers.EnumNames<LifecycleStatus>()}");
        if (!FieldParsers.TryEnum(Cell(4), out VehicleUsage usage))
            Bad("usage", $"'{Cell(4)}' is not one of {FieldParsers.EnumNames<VehicleUsage>()}");
        if (!FieldParsers.TryBool(Cell(5), out var sold)) Bad("sold", $"'{Cell(5)}' is not true or false");
        if (!FieldParsers.TryBool(Cell(6), out var activated)) Bad("activated", $"'{Cell(6)}' is not true or false");
        if (!FieldParsers.TryBool(Cell(7), out var passengerCar)) Bad("passengerCar", $"'{Cell(7)}' is not true or false");

        var firmware = Cell(8) ?? "";
        if (firmware.Length > 0 && !FirmwareVersion.TryParse(firmware, out _))
            Bad("firmwareVersion", $"'{firmware}' is not a dotted numeric version (use 0 or leave empty when unknown)");
        if (firmware.Length == 0) firmware = "0";

        var configWord = Cell(9);
        if (configWord is { Length: > 255 }) Bad("configWord", "longer than 255 characters");

        var secret = Cell(10);
        if (FieldParsers.IsBlank(secret)) secret = null;
        else if (secret.Length is < 16 or > 128) Bad("secret", "must be 16 to 128 characters");

        UpdateClient? client = null;
        var clientText = Cell(11);
        if (!FieldParsers.IsBlank(clientText))
        {
            if (FieldParsers.TryEnum(clientText, out UpdateClient parsed)) client = parsed;
            else Bad("updateClient", $"'{clientText}' is not one of {FieldParsers.EnumNames<UpdateClient>()} (leave it empty to keep the vehicle's)");
        }

        return ok ? new VehicleRow(vin!, sm.Id, platform!, status, usage, sold, activated, passengerCar, firmware,
            FieldParsers.IsBlank(configWord) ? null : configWord, secret, client) : null;
    }
}
