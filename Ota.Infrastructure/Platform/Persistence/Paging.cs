using System.Linq.Expressions;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>One page of a list as the grids ask for it: zero-based page, its size, and the column to sort by.</summary>
public sealed record PageQuery(int Page = 0, int PageSize = 25, string? SortBy = null, bool Descending = false)
{
    public const int MaxPageSize = 500;

    public int Skip => Math.Max(0, Page) * Size;

    public int Size => Math.Clamp(PageSize, 1, MaxPageSize);
}

/// <summary>A page of rows and how many rows the whole (filtered) list has.</summary>
public sealed record PageResult<T>(IReadOnlyList<T> Items, long Total);

/// <summary>
/// The columns a list may be sorted by, each with its key expression, so a grid's sort request becomes an ORDER BY
/// the database can serve; a column that is not listed (or not indexed for big tables) is not sortable.
/// </summary>
public sealed class Sorting<T>
{
    private readonly Dictionary<string, Func<IQueryable<T>, bool, IOrderedQueryable<T>>> _columns = new(StringComparer.OrdinalIgnoreCase);

    public Sorting<T> Column<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        _columns[name] = (query, descending) => descending ? query.OrderByDescending(key) : query.OrderBy(key);
        return this;
    }

    public bool Has(string? name) => name is not null && _columns.ContainsKey(name);

    /// <summary>Sorted by the requested column when it is known, else by <paramref name="fallback"/>; then by <paramref name="tieBreak"/>.</summary>
    public IQueryable<T> Apply<TTie>(IQueryable<T> query, PageQuery page, string fallback, bool fallbackDescending,
        Expression<Func<T, TTie>> tieBreak, bool tieDescending)
    {
        var (name, descending) = Has(page.SortBy) ? (page.SortBy!, page.Descending) : (fallback, fallbackDescending);
        var ordered = _columns[name](query, descending);
        return tieDescending ? ordered.ThenByDescending(tieBreak) : ordered.ThenBy(tieBreak);
    }
}
