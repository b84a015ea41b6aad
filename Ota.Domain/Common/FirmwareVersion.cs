namespace Ota.Domain;

/// <summary>
/// A dotted numeric version A.G.B(.more). The middle segment is the generation (1 = OTA1, 2 = OTA2).
/// Versions compare numerically segment by segment; missing trailing segments count as zero.
/// </summary>
public sealed class FirmwareVersion : IComparable<FirmwareVersion>, IEquatable<FirmwareVersion>
{
    private readonly long[] _segments;

    private FirmwareVersion(long[] segments, string text)
    {
        _segments = segments;
        Text = text;
    }

    public string Text { get; }

    public IReadOnlyList<long> Segments => _segments;

    /// <summary>OTA1 or OTA2 from the middle segment; null when the version names no known generation.</summary>
    public Generation? Generation => _segments.Length < 3 ? null : _segments[1] switch
    {
        1 => Domain.Generation.OTA1,
        2 => Domain.Generation.OTA2,
        _ => null,
    };

    /// <summary>"0" or empty means the vehicle's firmware is unknown.</summary>
    public static bool IsUnknown(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return true;
        return TryParse(text, out var v) && v._segments.All(s => s == 0);
    }

    public static bool TryParse(string? text, out FirmwareVersion version)
    {
        version = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var trimmed = text.Trim();
        var parts = trimmed.Split('.');
        var segments = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p.Length == 0 || p.Length > 9 || !p.All(char.IsAsciiDigit)) return false;
            segments[i] = long.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
        }
        version = new FirmwareVersion(segments, trimmed);
        return true;
    }

    public static FirmwareVersion Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a dotted numeric version.");

    /// <summary>Compares two version texts numerically; unparseable texts compare ordinally as a last resort.</summary>
    public static int Compare(string? left, string? right)
    {
        if (TryParse(left, out var l) && TryParse(right, out var r)) return l.CompareTo(r);
        return string.CompareOrdinal(left, right);
    }

    public int CompareTo(FirmwareVersion? other)
    {
        if (other is null) return 1;
        var n = Math.Max(_segments.Length, other._segments.Length);
        for (var i = 0; i < n; i++)
        {
            var a = i < _segments.Length ? _segments[i] : 0;
            var b = i < other._segments.Length ? other._segments[i] : 0;
            if (a != b) return a.CompareTo(b);
        }
        return 0;
    }

    public bool Equals(FirmwareVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is FirmwareVersion v && Equals(v);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        var last = _segments.Length - 1;
        while (last > 0 && _segments[last] == 0) last--;
        for (var i = 0; i <= last; i++) hash.Add(_segments[i]);
        return hash.ToHashCode();
    }

    public override string ToString() => Text;

    /// <summary>
    /// Compares two version texts numerically without allocating, by the same rules as <see cref="TryParse"/> and
    /// <see cref="CompareTo"/>: validation compares a million vehicles' firmware with the target, and parsing each
    /// into an object would put that many arrays on the heap. False when either text is not a dotted numeric version.
    /// </summary>
    public static bool TryCompare(ReadOnlySpan<char> left, ReadOnlySpan<char> right, out int comparison)
    {
        comparison = 0;
        left = left.Trim();
        right = right.Trim();
        if (left.IsEmpty || right.IsEmpty) return false;
        while (!left.IsEmpty || !right.IsEmpty)
        {
            if (!TakeSegment(ref left, out var a) || !TakeSegment(ref right, out var b)) return false;
            // Keep reading after the first difference: a malformed tail still makes the whole text malformed.
            if (comparison == 0 && a != b) comparison = a.CompareTo(b);
        }
        return true;
    }

    // Reads the next segment; a text already read to its end reads as zero, as missing trailing segments count as zero.
    private static bool TakeSegment(ref ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty) return true;
        var dot = text.IndexOf('.');
        var segment = dot < 0 ? text : text[..dot];
        if (segment.Length is 0 or > 9) return false;
        foreach (var c in segment)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        if (dot < 0)
        {
            text = default;
            return true;
        }
        text = text[(dot + 1)..];
        return !text.IsEmpty; // "1.2." ends in an empty segment
    }
}
