namespace Ota.Domain.Operations;

/// <summary>
/// What an open-API key may do (SPEC §16). A key holds a set of scopes; a key made without naming any, and every key
/// made before scopes existed, holds all of them.
/// </summary>
public static class ApiScopes
{
    /// <summary>Read tasks, their VINs, rollouts and validation runs.</summary>
    public const string TasksRead = "tasks:read";

    /// <summary>Verify, publish, cancel, reprioritise and steer tasks.</summary>
    public const string TasksWrite = "tasks:write";

    /// <summary>Change the catalog: upload ECU package files.</summary>
    public const string CatalogWrite = "catalog:write";

    /// <summary>Read vehicles and their timelines.</summary>
    public const string VehiclesRead = "vehicles:read";

    public static IReadOnlyList<string> All { get; } = [TasksRead, TasksWrite, CatalogWrite, VehiclesRead];

    /// <summary>The scopes as stored: space-separated, in the order of <see cref="All"/>.</summary>
    public static string Format(IEnumerable<string> scopes)
    {
        var set = scopes.ToHashSet(StringComparer.Ordinal);
        return string.Join(' ', All.Where(set.Contains));
    }

    /// <summary>The scopes a stored value names; unknown words are ignored (a scope retired later grants nothing).</summary>
    public static IReadOnlySet<string> Read(string? stored) =>
        (stored ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(All.Contains).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Parses a list given by a person (<c>tasks:read,tasks:write</c>; commas or spaces); null or blank means all.
    /// Throws <see cref="ArgumentException"/> naming an unknown scope, or when the list names none.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return All;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var scope = word.ToLowerInvariant();
            if (!All.Contains(scope))
                throw new ArgumentException($"'{word}' is not a scope; the scopes are {string.Join(", ", All)}.", nameof(text));
            wanted.Add(scope);
        }
        return All.Where(wanted.Contains).ToList();
    }
}
