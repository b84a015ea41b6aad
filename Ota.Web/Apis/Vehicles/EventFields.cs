using System.Globalization;
using System.Text.Json;
using Ota.Domain.Events.Reports;

namespace Ota.Web.Apis.Vehicles;

/// <summary>
/// Reads the fields of one event object. The first problem found is kept and later reads return defaults,
/// so a parser reads its fields in a straight line and checks <see cref="Problem"/> once.
/// Field names are matched exactly (camelCase, as in SPEC §7); unknown fields are ignored so vehicles can send newer fields.
/// A JSON <c>null</c> counts as absent.
/// </summary>
internal sealed class EventFields(JsonElement obj)
{
    public RejectedEvent? Problem { get; private set; }

    public int Index { get; init; }

    public void Reject(string code, string detail) => Problem ??= new RejectedEvent(Index, code, detail);

    public string RequiredString(string name, int maxLength) => String(name, maxLength, required: true) ?? "";

    /// <summary>A blank string counts as absent: vehicles send "" for "not known".</summary>
    public string? OptionalString(string name, int maxLength) => String(name, maxLength, required: false);

    /// <summary>A text field that some vehicles send as a JSON integer (inner error codes); kept as its text.</summary>
    public string? OptionalCode(string name, int maxLength)
    {
        if (!TryGetValue(name, required: false, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n.ToString(CultureInfo.InvariantCulture);
        return String(name, maxLength, required: false);
    }

    public long RequiredInteger(string name, long min, long max = long.MaxValue) =>
        Integer(name, min, max, required: true) ?? 0;

    public long? OptionalInteger(string name, long min, long max = long.MaxValue) =>
        Integer(name, min, max, required: false);

    public TEnum RequiredEnum<TEnum>(string name) where TEnum : struct, Enum => Enum<TEnum>(name, required: true) ?? default;

    public TEnum? OptionalEnum<TEnum>(string name) where TEnum : struct, Enum => Enum<TEnum>(name, required: false);

    public DateTimeOffset RequiredTimestamp(string name) => Timestamp(name, required: true) ?? default;

    public DateTimeOffset? OptionalTimestamp(string name) => Timestamp(name, required: false);

    public byte[] RequiredBase64(string name)
    {
        if (!TryGetValue(name, required: true, out var v)) return [];
        if (v.ValueKind == JsonValueKind.String && v.TryGetBytesFromBase64(out var bytes)) return bytes;
        Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be a base64 string.");
        return [];
    }

    /// <summary>A SHA-256 digest as 64 hex digits, either case; returned lower-case.</summary>
    public string RequiredSha256(string name)
    {
        var text = RequiredString(name, 64);
        if (Problem is not null) return "";
        if (text.Length == 64 && text.All(char.IsAsciiHexDigit)) return text.ToLowerInvariant();
        Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be 64 hexadecimal digits (SHA-256).");
        return "";
    }

    /// <summary>The raw value of a present, non-null field; rejects with FIELD_MISSING when a required one is absent.</summary>
    public bool TryGetValue(string name, bool required, out JsonElement value)
    {
        value = default;
        if (Problem is not null) return false;
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) Reject(EventReportCodes.FieldMissing, $"Field '{name}' is missing.");
        return false;
    }

    private string? String(string name, int maxLength, bool required)
    {
        if (!TryGetValue(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be a string.");
            return null;
        }
        var text = v.GetString()!.Trim();
        if (text.Length == 0)
        {
            if (required) Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must not be empty.");
            return null;
        }
        if (text.Length > maxLength)
        {
            Reject(EventReportCodes.FieldInvalid, $"Field '{name}' is longer than {maxLength} characters.");
            return null;
        }
        return text;
    }

    private long? Integer(string name, long min, long max, bool required)
    {
        if (!TryGetValue(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be an integer.");
            return null;
        }
        if (n < min || n > max)
        {
            var range = max == long.MaxValue ? $"at least {min}" : $"between {min} and {max}";
            Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be {range}, not {n}.");
            return null;
        }
        return n;
    }

    private TEnum? Enum<TEnum>(string name, bool required) where TEnum : struct, Enum
    {
        if (!TryGetValue(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be a string.");
            return null;
        }
        var text = v.GetString()!;
        if (EnumNames<TEnum>.TryParse(text, out var value)) return value;
        Reject(EventReportCodes.EnumValueUnknown,
            $"Field '{name}' has unknown value '{Shorten(text)}'; expected one of {EnumNames<TEnum>.List}.");
        return null;
    }

    private DateTimeOffset? Timestamp(string name, bool required)
    {
        if (!TryGetValue(name, required, out var v)) return null;
        if (v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out var at) && HasExplicitOffset(v.GetString()!))
            return at;
        Reject(EventReportCodes.FieldInvalid, $"Field '{name}' must be an ISO-8601 timestamp with 'Z' or an offset.");
        return null;
    }

    /// <summary>A time without an offset would be read in the server's zone; vehicles in other zones would be misfiled.</summary>
    private static bool HasExplicitOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
