using System.Text;

namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>A streaming RFC 4180 reader: commas, double-quoted fields with "" escapes and embedded newlines, UTF-8 with or without BOM.</summary>
internal static class CsvRows
{
    /// <summary>A single field longer than this is not a VIN list or a vehicle file; refuse it rather than buffer it.</summary>
    public const int MaxFieldLength = 64 * 1024;

    public static IEnumerable<TabularRow> Read(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var cells = new List<string?>(16);
        var field = new StringBuilder(64);
        var rowNumber = 0;
        var inQuotes = false;
        var fieldStarted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else inQuotes = false;
                }
                else field.Append(ch);
            }
            else if (ch == '"' && field.Length == 0 && !fieldStarted)
            {
                inQuotes = true;
                fieldStarted = true;
            }
            else if (ch == ',')
            {
                cells.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
            }
            else if (ch is '\n' or '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n') reader.Read();
                cells.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                yield return new TabularRow(++rowNumber, [.. cells]);
                cells.Clear();
            }
            else
            {
                field.Append(ch);
                fieldStarted = true;
            }
            if (field.Length > MaxFieldLength)
                throw new TabularFileException(TabularFile.CodeUnreadable, $"Row {rowNumber + 1} has a cell longer than {MaxFieldLength} characters; this is not a CSV file we can read.");
        }
        if (!any) throw new TabularFileException(TabularFile.CodeEmpty, "The file is empty.");
        if (inQuotes) throw new TabularFileException(TabularFile.CodeUnreadable, $"Row {rowNumber + 1} has a quote that is never closed.");
        if (field.Length > 0 || cells.Count > 0)
        {
            cells.Add(field.ToString());
            yield return new TabularRow(++rowNumber, [.. cells]);
        }
    }
}
