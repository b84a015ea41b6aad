using MudBlazor;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Web.Components.Shared;

/// <summary>Between MudDataGrid's server-data requests and the services' pages.</summary>
public static class GridPaging
{
    public static PageQuery ToPageQuery<T>(this GridState<T> state)
    {
        var sort = state.SortDefinitions.OrderBy(s => s.Index).FirstOrDefault();
        return new PageQuery(state.Page, state.PageSize, sort?.SortBy, sort?.Descending ?? false);
    }

    public static GridData<T> ToGridData<T>(this PageResult<T> page) =>
        new() { Items = page.Items, TotalItems = (int)Math.Min(page.Total, int.MaxValue) };
}

/// <summary>How the console writes times: UTC, said so, to the second.</summary>
public static class Times
{
    public static string Utc(DateTime? at) => at is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "";

    public static string UtcMinutes(DateTime? at) => at is { } t ? t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC" : "";

    /// <summary>A datetime-local input's text (taken as UTC) as a time; null when empty or not a time.</summary>
    public static DateTime? ParseUtcInput(string? text) =>
        DateTime.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    public static string ToUtcInput(DateTime? at) => at is { } t ? t.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "";
}

/// <summary>Shares in the console's words: whole percents with a space before the sign, whatever the server's culture.</summary>
public static class Percent
{
    public static string Of(double fraction) => (fraction * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " %";
}
