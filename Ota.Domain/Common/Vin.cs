namespace Ota.Domain;

/// <summary>Vehicle identification number rules (ISO 3779): 17 characters of A-Z and 0-9 without I, O and Q.</summary>
public static class Vin
{
    public const int Length = 17;

    /// <summary>Trims and upper-cases the input; returns null when the result is not a well-formed VIN.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null) return null;
        var span = input.AsSpan().Trim();
        if (span.Length != Length) return null;
        Span<char> buffer = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            var c = char.ToUpperInvariant(span[i]);
            if (!IsVinChar(c)) return null;
            buffer[i] = c;
        }
        return new string(buffer);
    }

    public static bool IsValid(string? input) => Normalize(input) is not null;

    private static bool IsVinChar(char c) =>
        (c is >= '0' and <= '9') || (c is >= 'A' and <= 'Z' && c is not ('I' or 'O' or 'Q'));
}
