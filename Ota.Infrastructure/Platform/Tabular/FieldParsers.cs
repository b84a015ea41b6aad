using System.Diagnostics.CodeAnalysis;

namespace Ota.Infrastructure.Platform.Tabular;

/// <summary>Parses import cells the way SPEC §11 says: booleans are true/false, enums by their names.</summary>
internal static class FieldParsers
{
    public static bool TryBool(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true": value = true; return true;
            case "false": value = false; return true;
            default: value = false; return false;
        }
    }

    public static bool TryEnum<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || char.IsDigit(trimmed[0]) || trimmed[0] == '-') return false;
        return Enum.TryParse(trimmed, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    public static string EnumNames<T>() where T : struct, Enum => string.Join(", ", Enum.GetNames<T>());

    public static bool IsBlank([NotNullWhen(false)] string? text) => string.IsNullOrWhiteSpace(text);
}
