using System.Globalization;
using MiniExcelLibs;

namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>A row of a spreadsheet or CSV file: its 1-based row number (the header is row 1) and its cells as text.</summary>
public readonly record struct TabularRow(int RowNumber, string?[] Cells)
{
    public string? this[int column] => column >= 0 && column < Cells.Length ? Cells[column] : null;

    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>The file is not a spreadsheet we can read; carries a stable code for the API and the console.</summary>
public sealed class TabularFileException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}

public enum TabularFormat { Csv, Xlsx }

/// <summary>
/// Streams the rows of a .csv or .xlsx file without holding the whole file in memory. Everything is text:
/// numbers and dates are rendered invariantly, so a VIN or a version never turns into a number.
/// </summary>
public static class TabularFile
{
    public const string CodeUnreadable = "FILE_UNREADABLE";
    public const string CodeUnsupported = "FILE_TYPE_UNSUPPORTED";
    public const string CodeEmpty = "FILE_EMPTY";
    public const string CodeTooLarge = "FILE_TOO_LARGE";

    public static TabularFormat FormatOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".csv" => TabularFormat.Csv,
        ".xlsx" => TabularFormat.Xlsx,
        var ext => throw new TabularFileException(CodeUnsupported,
            $"Files of type '{(ext.Length == 0 ? "(none)" : ext)}' are not supported: upload a .xlsx or .csv file."),
    };

    /// <summary>All rows including the header row (row 1). Blank rows are yielded too, so row numbers stay true.</summary>
    public static IEnumerable<TabularRow> ReadRows(Stream stream, TabularFormat format) => format switch
    {
        TabularFormat.Csv => CsvRows.Read(stream),
        _ => XlsxRows(stream),
    };

    public static IEnumerable<TabularRow> ReadRows(string path)
    {
        var format = FormatOf(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TabularFileException(CodeUnreadable, $"Cannot open '{path}': {ex.Message}", ex);
        }
        using (stream)
        {
            foreach (var row in ReadRows(stream, format)) yield return row;
        }
    }

    private static IEnumerable<TabularRow> XlsxRows(Stream stream)
    {
        if (!LooksLikeZip(stream))
            throw new TabularFileException(CodeUnreadable, "The file is not a readable .xlsx workbook (it is not an Office Open XML file).");
        XlsxGuard.Check(stream);
        IEnumerator<dynamic> rows;
        try
        {
            rows = MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).GetEnumerator();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TabularFileException(CodeUnreadable, "The file is not a readable .xlsx workbook.", ex);
        }
        using (rows)
        {
            var rowNumber = 0;
            while (true)
            {
                IDictionary<string, object?> cells;
                try
                {
                    if (!rows.MoveNext()) yield break;
                    cells = (IDictionary<string, object?>)rows.Current;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException and not TabularFileException)
                {
                    throw new TabularFileException(CodeUnreadable, $"The workbook could not be read after row {rowNumber}: {ex.Message}", ex);
                }
                rowNumber++;
                var values = new string?[cells.Count];
                var i = 0;
                foreach (var value in cells.Values) values[i++] = CellText(value);
                yield return new TabularRow(rowNumber, values);
            }
        }
    }

    private static bool LooksLikeZip(Stream stream)
    {
        if (!stream.CanSeek) return true;
        Span<byte> head = stackalloc byte[4];
        var start = stream.Position;
        var read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 0) throw new TabularFileException(CodeEmpty, "The file is empty.");
        return read == 4 && head[0] == 0x50 && head[1] == 0x4B;
    }

    internal static string? CellText(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString("0.###############", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
