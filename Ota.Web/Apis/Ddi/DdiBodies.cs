using System.Globalization;
using System.Text.Json;
using Ota.Domain.Vehicles.Ddi;
using Ota.Infrastructure.Ddi;

namespace Ota.Web.Apis.Ddi;

/// <summary>A body the DDI API refuses: 400 with this code (nothing is stored).</summary>
public sealed record DdiBodyError(string Code, string Detail);

/// <summary>
/// Reads the bodies DDI devices post (feedback, configData) the way hawkBit does, unknown fields ignored, and tolerating what
/// real clients send: a raw control character inside a string (SWUpdate's "No artifact download URL reported by
/// server." ends with a raw newline), an integer <c>id</c> where hawkBit has a string, a local <c>time</c> without zone (both
/// fields of older hawkBit, ignored), <c>progress.of</c> 0, and the <c>download</c> execution spelled <c>downloading</c>.
/// </summary>
public static class DdiBodies
{
    public const string FeedbackInvalid = "DDI_FEEDBACK_INVALID";
    public const string ConfigDataInvalid = "DDI_CONFIG_DATA_INVALID";

    private static readonly JsonDocumentOptions Lenient = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 };

    public static (DdiFeedback? Feedback, DateTimeOffset? SentAt, DdiBodyError? Error) ParseFeedback(ReadOnlyMemory<byte> body)
    {
        DdiBodyError Bad(string detail) => new(FeedbackInvalid, detail);
        if (Parse(body) is not { } document) return (null, null, Bad("The body is not JSON."));
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null, Bad("The body is not a JSON object."));
            if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
                return (null, null, Bad("'status' is missing."));
            if (!status.TryGetProperty("execution", out var executionText) || executionText.ValueKind != JsonValueKind.String
                || Execution(executionText.GetString()!) is not { } execution)
                return (null, null, Bad("'status.execution' must be one of closed, proceeding, canceled, scheduled, rejected, resumed, downloaded, download."));
            if (!status.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object)
                return (null, null, Bad("'status.result' is missing."));
            if (!result.TryGetProperty("finished", out var finishedText) || finishedText.ValueKind != JsonValueKind.String
                || Finished(finishedText.GetString()!) is not { } finished)
                return (null, null, Bad("'status.result.finished' must be success, failure or none."));

            int? count = null, of = null;
            if (result.TryGetProperty("progress", out var progress) && progress.ValueKind == JsonValueKind.Object)
            {
                if (!progress.TryGetProperty("cnt", out var cnt) || !WholeNumber(cnt, out var c) || c < 0)
                    return (null, null, Bad("'status.result.progress.cnt' must be a whole number of at least 0."));
                count = c;
                if (progress.TryGetProperty("of", out var ofElement))
                {
                    if (!WholeNumber(ofElement, out var o) || o < 0) return (null, null, Bad("'status.result.progress.of' must be a whole number of at least 0."));
                    of = o;
                }
            }
            int? code = null;
            if (status.TryGetProperty("code", out var codeElement) && codeElement.ValueKind != JsonValueKind.Null)
            {
                if (!WholeNumber(codeElement, out var value)) return (null, null, Bad("'status.code' must be a whole number."));
                code = value;
            }
            var details = new List<string>();
            if (status.TryGetProperty("details", out var detailsElement) && detailsElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in detailsElement.EnumerateArray().Take(MaxDetails))
                    details.Add(detail.ValueKind == JsonValueKind.String ? detail.GetString()! : detail.GetRawText());
            }
            DateTimeOffset? sentAt = root.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.Number && timestamp.TryGetInt64(out var ms)
                && ms is > 0 and < 253402300799999
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
            return (new DdiFeedback(execution, finished, count, of, code, details), sentAt, null);
        }
    }

    public static (DdiConfigMode Mode, IReadOnlyDictionary<string, string>? Data, DdiBodyError? Error) ParseConfigData(ReadOnlyMemory<byte> body)
    {
        DdiBodyError Bad(string detail) => new(ConfigDataInvalid, detail);
        if (Parse(body) is not { } document) return (default, null, Bad("The body is not JSON."));
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (default, null, Bad("The body is not a JSON object."));
            var mode = DdiConfigMode.Merge;
            if (root.TryGetProperty("mode", out var modeElement) && modeElement.ValueKind != JsonValueKind.Null)
            {
                if (modeElement.ValueKind != JsonValueKind.String || Mode(modeElement.GetString()!) is not { } given)
                    return (default, null, Bad("'mode' must be merge, replace or remove."));
                mode = given;
            }
            if (!root.TryGetProperty("data", out var dataElement) || dataElement.ValueKind != JsonValueKind.Object)
                return (default, null, Bad("'data' must be an object of attributes."));
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var attribute in dataElement.EnumerateObject())
            {
                var value = attribute.Value.ValueKind switch
                {
                    JsonValueKind.String => attribute.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => attribute.Value.GetRawText(),
                    _ => null,
                };
                if (value is null) return (default, null, Bad($"Attribute '{attribute.Name}' must be a string."));
                if (attribute.Name.Length is 0 or > DdiConfigData.MaxKeyLength || value.Length > DdiConfigData.MaxValueLength)
                    return (default, null, Bad($"An attribute's name is 1 to {DdiConfigData.MaxKeyLength} characters, its value at most {DdiConfigData.MaxValueLength}."));
                data[attribute.Name] = value;
            }
            if (data.Count == 0) return (default, null, Bad("'data' holds no attribute."));
            if (data.Count > DdiConfigData.MaxAttributes) return (default, null, Bad($"At most {DdiConfigData.MaxAttributes} attributes."));
            return (mode, data, null);
        }
    }

    private const int MaxDetails = 100;

    private static bool WholeNumber(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    private static DdiExecution? Execution(string text) => text.ToLowerInvariant() switch
    {
        "closed" => DdiExecution.Closed,
        "proceeding" => DdiExecution.Proceeding,
        "canceled" => DdiExecution.Canceled,
        "scheduled" => DdiExecution.Scheduled,
        "rejected" => DdiExecution.Rejected,
        "resumed" => DdiExecution.Resumed,
        "downloaded" => DdiExecution.Downloaded,
        "download" or "downloading" => DdiExecution.Download,
        _ => null,
    };

    private static DdiFinished? Finished(string text) => text.ToLowerInvariant() switch
    {
        "success" => DdiFinished.Success,
        "failure" => DdiFinished.Failure,
        "none" => DdiFinished.None,
        _ => null,
    };

    private static DdiConfigMode? Mode(string text) => text.ToLowerInvariant() switch
    {
        "merge" => DdiConfigMode.Merge,
        "replace" => DdiConfigMode.Replace,
        "remove" => DdiConfigMode.Remove,
        _ => null,
    };

    private static JsonDocument? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(EscapeControlCharactersInStrings(body), Lenient);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A copy of the body with raw control characters inside strings written as JSON escapes; the body itself when it has none.</summary>
    internal static ReadOnlyMemory<byte> EscapeControlCharactersInStrings(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0) return body;
        var output = new List<byte>(span.Length + 16);
        var inString = false;
        for (var i = 0; i < span.Length; i++)
        {
            var b = span[i];
            if (inString && b == (byte)'\\' && i + 1 < span.Length)
            {
                output.Add(b);
                output.Add(span[++i]);
                continue;
            }
            if (b == (byte)'"') inString = !inString;
            if (inString && b < 0x20)
            {
                output.AddRange(System.Text.Encoding.ASCII.GetBytes(b switch
                {
                    (byte)'\n' => "\\n",
                    (byte)'\r' => "\\r",
                    (byte)'\t' => "\\t",
                    _ => "\\u" + ((int)b).ToString("x4", CultureInfo.InvariantCulture),
                }));
                continue;
            }
            output.Add(b);
        }
        return output.ToArray();
    }
}
