using Ota.Domain;

namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>
/// Reads the VIN entries of an uploaded list (.xlsx or .csv) as a stream: the column headed VIN (or 车架号), or
/// else the first column. A first row that is neither a header nor a VIN, with no VIN column, is a wrong file.
/// </summary>
public static class VinFileReader
{
    public const string CodeNoVinColumn = "VIN_COLUMN_MISSING";

    private static readonly string[] Headers = ["vin", "车架号", "vin码", "vincode"];

    public static IEnumerable<string?> ReadEntries(Stream stream, string fileName) =>
        Entries(TabularFile.ReadRows(stream, TabularFile.FormatOf(fileName)));

    public static IEnumerable<string?> ReadEntries(string path, string fileName)
    {
        using var stream = File.OpenRead(path);
        foreach (var entry in ReadEntries(stream, fileName)) yield return entry;
    }

    private static IEnumerable<string?> Entries(IEnumerable<TabularRow> rows)
    {
        var column = -1;
        foreach (var row in rows)
        {
            if (column < 0)
            {
                column = VinColumn(row);
                if (column == int.MaxValue) column = 0;
                else continue;
            }
            yield return row[column];
        }
        if (column < 0) throw new TabularFileException(TabularFile.CodeEmpty, "The file holds no rows: expected a column of VINs.");
    }

    /// <summary>The VIN column from the first row, or int.MaxValue when the first row is already data (no header).</summary>
    private static int VinColumn(TabularRow first)
    {
        for (var i = 0; i < first.Cells.Length; i++)
        {
            var text = first.Cells[i]?.Trim().Replace(" ", "").ToLowerInvariant();
            if (text is not null && Headers.Contains(text)) return i;
        }
        if (Vin.IsValid(first[0])) return int.MaxValue;
        throw new TabularFileException(CodeNoVinColumn,
            $"No VIN column: the first row has no column headed VIN and its first cell ('{Shorten(first[0])}') is not a VIN. " +
            "Put the VINs in the first column or head their column VIN.");
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;
}
