namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>Finds named columns in a header row, case-insensitively, ignoring spaces, '_' and '-'.</summary>
public sealed class HeaderMap
{
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    public HeaderMap(TabularRow header)
    {
        for (var i = 0; i < header.Cells.Length; i++)
        {
            var key = Key(header.Cells[i]);
            if (key.Length > 0) _columns.TryAdd(key, i);
        }
    }

    public int IndexOf(string name) => _columns.TryGetValue(Key(name), out var i) ? i : -1;

    public bool Has(string name) => IndexOf(name) >= 0;

    private static string Key(string? name) =>
        string.Concat((name ?? "").Where(c => c is not (' ' or '_' or '-') && !char.IsWhiteSpace(c))).ToLowerInvariant();
}
