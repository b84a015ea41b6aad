using System.Text.Json;
using Ota.Domain;
using Ota.Infrastructure.PackageInfo;

namespace Ota.Web.Apis.Vehicles;

/// <summary>A problem with a vehicle request as a whole: answered 400 with this code, nothing done.</summary>
public sealed record VehicleRequestProblem(string Code, string Detail);

public static class PackageInfoRequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    /// <summary>Codes are those of the event endpoint (MALFORMED_JSON, VIN_MISMATCH, FIELD_MISSING, …), so vehicles handle one set.</summary>
    public static (PackageInfoRequest? Request, VehicleRequestProblem? Problem) Parse(ReadOnlyMemory<byte> body, string signedVin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Fail(EventReportCodes.MalformedJson, $"The body is not valid JSON: {e.Message.Split(" Path:")[0]}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail(EventReportCodes.InvalidRequest, "The body must be a JSON object with 'vin', 'currentVersion' and 'targetVersion'.");

            if (!root.TryGetProperty("vin", out var vinElement) || vinElement.ValueKind == JsonValueKind.Null
                || (vinElement.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(vinElement.GetString())))
                return Fail(EventReportCodes.VinMissing, "Field 'vin' is missing.");
            var vin = vinElement.ValueKind == JsonValueKind.String ? Vin.Normalize(vinElement.GetString()) : null;
            if (vin is null)
                return Fail(EventReportCodes.VinMalformed, "Field 'vin' must be 17 characters of A-Z and 0-9 without I, O and Q.");
            if (vin != Vin.Normalize(signedVin))
                return Fail(EventReportCodes.VinMismatch, "Field 'vin' is not the VIN the request was signed for.");

            var (current, currentProblem) = Version(root, "currentVersion");
            if (currentProblem is not null) return (null, currentProblem);
            var (target, targetProblem) = Version(root, "targetVersion");
            if (targetProblem is not null) return (null, targetProblem);

            long? taskId = null;
            if (root.TryGetProperty("taskId", out var taskElement) && taskElement.ValueKind != JsonValueKind.Null)
            {
                if (taskElement.ValueKind != JsonValueKind.Number || !taskElement.TryGetInt64(out var id) || id < 1)
                    return Fail(EventReportCodes.FieldInvalid, "Field 'taskId' must be a positive integer.");
                taskId = id;
            }
            return (new PackageInfoRequest(vin, current!, target!, taskId), null);
        }
    }

    /// <summary>A dotted numeric version; "0" is a version too (the unknown firmware, judged later as FIRMWARE_UNKNOWN).</summary>
    private static (string? Version, VehicleRequestProblem? Problem) Version(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
            return (null, new(EventReportCodes.FieldMissing, $"Field '{name}' is missing."));
        if (element.ValueKind != JsonValueKind.String || !FirmwareVersion.TryParse(element.GetString(), out var version)
            || version.Text.Length > EventFieldLimits.Version)
            return (null, new(EventReportCodes.FieldInvalid, $"Field '{name}' must be a dotted numeric version such as \"3.1.5\"."));
        return (version.Text, null);
    }

    private static (PackageInfoRequest?, VehicleRequestProblem?) Fail(string code, string detail) => (null, new VehicleRequestProblem(code, detail));
}
