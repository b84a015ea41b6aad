using System.Globalization;
using System.Text.Json;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;

namespace Ota.Web.Apis;

/// <summary>The body of verify and publish as the OpenAPI document shows it (enumerations by name); <see cref="OpenTaskRequest"/> reads it.</summary>
public sealed record OpenTaskRequestBody(
    string? Name, string Type, string SeriesModel, string TargetVersion, IReadOnlyList<string> Vins,
    DateTimeOffset? ScheduledAt, int? Priority, string? Source, RolloutPlan? Rollout);

/// <summary>The body of POST /ota/open/api/task/verify and /publish (SPEC §8), read field by field so each problem gets its own code.</summary>
public sealed record OpenTaskRequest(
    string? Name, TaskType Type, string SeriesModel, string TargetVersion, IReadOnlyList<string?> Vins,
    DateTime? ScheduledAt, int Priority, TaskSource Source, RolloutPlan? Rollout = null)
{
    public const string CodeMalformedJson = "MALFORMED_JSON";
    public const string CodeFieldMissing = "FIELD_MISSING";
    public const string CodeFieldInvalid = "FIELD_INVALID";
    public const string CodeTypeUnknown = "TASK_TYPE_UNKNOWN";
    public const string CodeSourceUnknown = "TASK_SOURCE_UNKNOWN";

    /// <summary>Parses the body; on failure returns the 400 code and a detail naming the field.</summary>
    public static (OpenTaskRequest? Request, string? Code, string? Detail) Parse(JsonElement root, bool nameRequired)
    {
        if (root.ValueKind != JsonValueKind.Object) return Fail(CodeMalformedJson, "The body must be a JSON object.");

        if (!TryString(root, "name", out var name, out var error) && error is not null) return error.Value;
        if (nameRequired && string.IsNullOrWhiteSpace(name)) return Fail(CodeFieldMissing, "'name' is required to publish a task.");
        if (name is { Length: > 200 }) return Fail(CodeFieldInvalid, "'name' is longer than 200 characters.");

        if (!TryString(root, "type", out var typeText, out error)) return error ?? Fail(CodeFieldMissing, "'type' is required.");
        if (!TryEnum(typeText!, out TaskType type))
            return Fail(CodeTypeUnknown, $"'type' must be one of {string.Join(", ", Enum.GetNames<TaskType>())}; got '{typeText}'.");

        if (!TryString(root, "seriesModel", out var seriesModel, out error) || string.IsNullOrWhiteSpace(seriesModel))
            return error ?? Fail(CodeFieldMissing, "'seriesModel' (the series-model code) is required.");
        if (!TryString(root, "targetVersion", out var target, out error) || string.IsNullOrWhiteSpace(target))
            return error ?? Fail(CodeFieldMissing, "'targetVersion' is required.");

        if (!root.TryGetProperty("vins", out var vinsElement) || vinsElement.ValueKind == JsonValueKind.Null)
            return Fail(CodeFieldMissing, "'vins' (an array of VINs) is required.");
        if (vinsElement.ValueKind != JsonValueKind.Array) return Fail(CodeFieldInvalid, "'vins' must be an array of VINs.");
        var vins = new List<string?>(vinsElement.GetArrayLength());
        var position = 0;
        foreach (var item in vinsElement.EnumerateArray())
        {
            // A VIN is text; a number, object or null in the list is a wrongly typed request, not an entry to report.
            if (item.ValueKind != JsonValueKind.String)
                return Fail(CodeFieldInvalid, $"'vins' must hold strings; item {position} is {item.ValueKind.ToString().ToLowerInvariant()}.");
            vins.Add(item.GetString());
            position++;
        }

        DateTime? scheduledAt = null;
        if (root.TryGetProperty("scheduledAt", out var scheduled) && scheduled.ValueKind != JsonValueKind.Null)
        {
            if (scheduled.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(scheduled.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return Fail(CodeFieldInvalid, "'scheduledAt' must be an ISO-8601 date and time.");
            scheduledAt = at.UtcDateTime;
        }

        var priority = 0;
        if (root.TryGetProperty("priority", out var priorityElement) && priorityElement.ValueKind != JsonValueKind.Null
            && (priorityElement.ValueKind != JsonValueKind.Number || !priorityElement.TryGetInt32(out priority) || !TaskRanking.IsValidPriority(priority)))
            return Fail(CodeFieldInvalid, $"'priority' must be a whole number from {TaskRanking.MinPriority} to {TaskRanking.MaxPriority}.");

        var source = TaskSource.OpenApi;
        if (!TryString(root, "source", out var sourceText, out error) && error is not null) return error.Value;
        if (sourceText is not null && !TryEnum(sourceText, out source))
            return Fail(CodeSourceUnknown, $"'source' must be one of {string.Join(", ", Enum.GetNames<TaskSource>())}; got '{sourceText}'.");

        RolloutPlan? rollout = null;
        if (root.TryGetProperty("rollout", out var rolloutElement) && rolloutElement.ValueKind != JsonValueKind.Null)
        {
            try
            {
                rollout = RolloutPlan.Parse(rolloutElement.GetRawText());
            }
            catch (RolloutPlanException e)
            {
                return Fail(e.Code, e.Message);
            }
            // Named VINs must be in the task: in the list sent (validation may still reject one; it is answered there).
            var listed = vins.Select(Vin.Normalize).Where(v => v is not null).ToHashSet(StringComparer.Ordinal);
            foreach (var (group, index) in rollout.Groups.Select((g, i) => (g, i)))
                foreach (var vin in group.Vins ?? [])
                    if (!listed.Contains(vin))
                        return Fail(RolloutPlanException.VinNotInTask, $"rollout.groups[{index}].vins: {vin} is not in 'vins'.");
        }

        return (new OpenTaskRequest(name?.Trim(), type, seriesModel!.Trim(), target!.Trim(), vins, scheduledAt, priority, source, rollout), null, null);
    }

    private static (OpenTaskRequest?, string?, string?) Fail(string code, string detail) => (null, code, detail);

    /// <summary>False when absent or null (error null) or present but not a string (error set).</summary>
    private static bool TryString(JsonElement root, string name, out string? value, out (OpenTaskRequest?, string?, string?)? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return false;
        if (element.ValueKind != JsonValueKind.String)
        {
            error = Fail(CodeFieldInvalid, $"'{name}' must be a string.");
            return false;
        }
        value = element.GetString();
        return true;
    }

    /// <summary>An enumeration value by its name (any case); a number or an undefined name is not one.</summary>
    public static bool TryEnum<T>(string text, out T value) where T : struct, Enum =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out value) && Enum.IsDefined(value) && !char.IsDigit(text.Trim().FirstOrDefault());
}
