namespace Ota.Web.Apis.Vehicles;

/// <summary>
/// Matches reported enum values against the member names of Ota.Domain's enums, ignoring case (a vehicle sending
/// "succeeded" means Succeeded). Only names match: "2" is not a state, unlike <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/>.
/// </summary>
internal static class EnumNames<TEnum> where TEnum : struct, Enum
{
    private static readonly Dictionary<string, TEnum> ByName =
        Enum.GetValues<TEnum>().ToDictionary(v => v.ToString(), StringComparer.OrdinalIgnoreCase);

    public static readonly string List = string.Join(", ", Enum.GetNames<TEnum>());

    public static bool TryParse(string text, out TEnum value) => ByName.TryGetValue(text.Trim(), out value);
}
