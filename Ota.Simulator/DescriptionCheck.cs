using System.Text.Json.Nodes;

namespace Ota.Simulator;

/// <summary>
/// What a vehicle checks before it downloads anything: the description answers the request, its ECU list is ordered,
/// every file has a size, a SHA-256 and a URL, and an encrypted package comes with a usable key. Returns the problems.
/// </summary>
public static class DescriptionCheck
{
    public static List<string> Problems(JsonNode? description, string vin, string targetVersion)
    {
        var problems = new List<string>();
        if (description is not JsonObject d) return ["the description is not a JSON object"];
        if (d["descriptionId"]?.GetValue<string>() is not { Length: > 0 }) problems.Add("descriptionId missing");
        if (d["vin"]?.GetValue<string>() != vin) problems.Add("vin differs from the request");
        if (d["targetVersion"]?.GetValue<string>() != targetVersion) problems.Add("targetVersion differs from the request");
        if (d["generation"]?.GetValue<string>() is not ("OTA1" or "OTA2")) problems.Add("generation is not OTA1 or OTA2");
        if (d["strategy"]?["source"]?.GetValue<string>() is not ("Task" or "Vin" or "SeriesModelDefault")) problems.Add("strategy.source missing");
        if (d["compareVersion"] is not JsonValue compare || !compare.TryGetValue<bool>(out _)) problems.Add("compareVersion is not a boolean");

        if (d["encryption"] is JsonObject encryption)
        {
            var key = encryption["key"]?.GetValue<string>();
            Span<byte> buffer = stackalloc byte[64];
            if (key is null || !Convert.TryFromBase64String(key, buffer, out var n) || n is not (16 or 24 or 32))
                problems.Add("encrypted package without a usable key");
            if (encryption["algorithm"]?.GetValue<string>() is not { Length: > 0 }) problems.Add("encryption.algorithm missing");
        }

        if (d["ecus"] is not JsonArray ecus)
        {
            problems.Add("ecus is not an array");
            return problems;
        }
        int? previous = null;
        foreach (var ecu in ecus)
        {
            var code = ecu?["ecuCode"]?.GetValue<string>() ?? "?";
            var order = ecu?["order"]?.GetValue<int?>();
            if (order is null) problems.Add($"{code}: no upgrade order");
            else if (previous is not null && order < previous) problems.Add($"{code}: ECUs not ordered by upgrade order");
            previous = order ?? previous;
            if (ecu?["fileSize"]?.GetValue<long>() is not > 0) problems.Add($"{code}: no file size");
            if (ecu?["sha256"]?.GetValue<string>() is not { Length: 64 }) problems.Add($"{code}: no SHA-256");
            if (!Uri.TryCreate(ecu?["url"]?.GetValue<string>(), UriKind.Absolute, out _)) problems.Add($"{code}: no URL");
            if (ecu?["fileName"]?.GetValue<string>() is not { Length: > 0 }) problems.Add($"{code}: no file name");
        }
        return problems;
    }
}
