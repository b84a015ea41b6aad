namespace Ota.Domain.Tasks.Validation;

/// <summary>What became of one entry of an uploaded VIN list.</summary>
public enum VinEntryOutcome
{
    /// <summary>A well-formed VIN seen for the first time; it goes on to the vehicle phase.</summary>
    Added,
    /// <summary>A VIN seen before (after trimming and upper-casing); only its first occurrence is judged.</summary>
    Duplicate,
    /// <summary>Not a VIN: VIN_MALFORMED, reported as given.</summary>
    Malformed,
    /// <summary>Empty or whitespace: the blank cells and lines that spreadsheets and CSV files carry. Ignored.</summary>
    Blank,
}

/// <summary>
/// Reads a VIN list entry by entry (uploads run to a million lines, so it never needs the list whole): keeps the
/// distinct normalised VINs in first-occurrence order, each duplicated VIN once, and malformed entries as given.
/// </summary>
public sealed class VinListIntake
{
    private readonly HashSet<string> _seen;
    private readonly HashSet<string> _duplicated = new(StringComparer.Ordinal);
    private readonly List<string> _distinct;
    private readonly List<string> _duplicates = [];
    private readonly List<string> _malformed = [];

    /// <param name="expectedEntries">The list's length when known, to size the set once instead of growing it.</param>
    public VinListIntake(int expectedEntries = 0)
    {
        _seen = new HashSet<string>(expectedEntries, StringComparer.Ordinal);
        _distinct = new List<string>(expectedEntries);
    }

    /// <summary>Well-formed VINs, normalised, each once, in the order first seen.</summary>
    public IReadOnlyList<string> DistinctVins => _distinct;

    /// <summary>VINs that occurred more than once, each listed once (VIN_DUPLICATE), in the order first repeated.</summary>
    public IReadOnlyList<string> Duplicates => _duplicates;

    /// <summary>The longest malformed entry kept as given; a longer one is kept cut to this length.</summary>
    public const int MaxReportedLength = 255;

    /// <summary>Entries that are not VINs, exactly as given (up to <see cref="MaxReportedLength"/> characters), one per entry (VIN_MALFORMED).</summary>
    public IReadOnlyList<string> Malformed => _malformed;

    public int DistinctCount => _distinct.Count;

    /// <summary>Every entry fed in, blanks included.</summary>
    public int EntryCount { get; private set; }

    /// <summary>Repeated entries: a VIN given three times adds two here and one to <see cref="Duplicates"/>.</summary>
    public int RepeatedEntryCount { get; private set; }

    public int BlankCount { get; private set; }

    /// <summary>No usable VIN: the task-level VIN_LIST_EMPTY.</summary>
    public bool IsEmpty => _distinct.Count == 0;

    /// <param name="vin">The normalised VIN for <see cref="VinEntryOutcome.Added"/> and <see cref="VinEntryOutcome.Duplicate"/>; otherwise null.</param>
    public VinEntryOutcome Add(string? entry, out string? vin)
    {
        EntryCount++;
        vin = null;
        if (string.IsNullOrWhiteSpace(entry))
        {
            BlankCount++;
            return VinEntryOutcome.Blank;
        }

        vin = Vin.Normalize(entry);
        if (vin is null)
        {
            // A cell of megabytes is reported by its start: the list of rejections stays small whatever the file holds.
            _malformed.Add(entry.Length > MaxReportedLength ? entry[..MaxReportedLength] : entry);
            return VinEntryOutcome.Malformed;
        }

        if (_seen.Add(vin))
        {
            _distinct.Add(vin);
            return VinEntryOutcome.Added;
        }

        RepeatedEntryCount++;
        if (_duplicated.Add(vin)) _duplicates.Add(vin);
        return VinEntryOutcome.Duplicate;
    }

    public VinEntryOutcome Add(string? entry) => Add(entry, out _);

    /// <summary>Feeds a whole sequence, for lists already in memory.</summary>
    public static VinListIntake Read(IEnumerable<string?> entries)
    {
        var intake = new VinListIntake(entries.TryGetNonEnumeratedCount(out var count) ? count : 0);
        foreach (var entry in entries) intake.Add(entry);
        return intake;
    }

    /// <summary>The rejection each reported entry gets, for answers that list rejected entries with their codes.</summary>
    public IEnumerable<(string Entry, VinRejection Rejection)> ListRejected()
    {
        foreach (var duplicate in _duplicates) yield return (duplicate, VinRejection.Duplicate);
        foreach (var malformed in _malformed) yield return (malformed, VinRejection.Malformed);
    }
}
