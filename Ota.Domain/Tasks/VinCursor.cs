using System.Text;

namespace Ota.Domain.Tasks;

/// <summary>
/// Where a page of a task's VINs ends (SPEC §16): opaque to clients, it names the last VIN of the page, so the next page
/// starts right after it in VIN order and costs what the first does, however deep into the task it is.
/// </summary>
public static class VinCursor
{
    private const string Version = "v1:";

    public static string Encode(string lastVin) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(Version + lastVin)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The VIN a cursor names; false for anything this class did not make.</summary>
    public static bool TryDecode(string? cursor, out string lastVin)
    {
        lastVin = "";
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 64) return false;
        var text = cursor.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var written)) return false;
        var decoded = Encoding.ASCII.GetString(bytes, 0, written);
        if (!decoded.StartsWith(Version, StringComparison.Ordinal)) return false;
        var vin = decoded[Version.Length..];
        // Only a well-formed VIN in its stored (upper-case) form: a cursor is never a way to put other text into a query.
        if (Vin.Normalize(vin) != vin) return false;
        lastVin = vin;
        return true;
    }
}
