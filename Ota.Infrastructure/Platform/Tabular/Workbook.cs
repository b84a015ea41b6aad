using System.Data;
using MiniExcelLibs;

namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>Writes the console's Excel downloads (.xlsx) to a file: rows streamed from a data reader or an enumeration.</summary>
public static class Workbook
{
    /// <summary>Every row of the reader, its column names as the header. MiniExcel writes synchronously, so off the caller's thread.</summary>
    public static Task SaveAsync(string path, IDataReader rows, CancellationToken ct) =>
        Task.Run(() => MiniExcel.SaveAs(path, rows, overwriteFile: true), ct);

    /// <summary>The rows under a header of <paramref name="columns"/>, which is written even when there are no rows.</summary>
    public static Task SaveAsync(string path, IEnumerable<IReadOnlyDictionary<string, object?>> rows, IReadOnlyList<string> columns,
        CancellationToken ct) =>
        Task.Run(() => MiniExcel.SaveAs(path, Headed(rows, columns), overwriteFile: true), ct);

    /// <summary>The rows, or an empty table with the header when there are none (MiniExcel takes the header from the first row).</summary>
    private static object Headed(IEnumerable<IReadOnlyDictionary<string, object?>> rows, IReadOnlyList<string> columns)
    {
        var enumerator = rows.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            enumerator.Dispose();
            var empty = new DataTable();
            foreach (var column in columns) empty.Columns.Add(column, typeof(string));
            return empty;
        }
        return Rest(enumerator);

        static IEnumerable<Dictionary<string, object?>> Rest(IEnumerator<IReadOnlyDictionary<string, object?>> started)
        {
            using (started)
            {
                do yield return new Dictionary<string, object?>(started.Current);
                while (started.MoveNext());
            }
        }
    }
}
