using System.Text;
using System.Text.Json;
using Ota.Domain;
using Ota.Domain.Events.Reports;

namespace Ota.Web.Apis.Vehicles;

/// <summary>
/// Parses the body of <c>POST /api/vehicle/v1/events</c> (SPEC §7). Problems with the request as a whole give an
/// <see cref="EventReportRequestError"/>; problems with one event reject that event only.
/// </summary>
public static class EventReportParser
{
    // Duplicate property names make the body ambiguous ("which state did the vehicle mean?"), so they are malformed JSON.
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false };

    /// <param name="utf8Body">The raw request body.</param>
    /// <param name="signedVin">The VIN the request was signed for (<c>X-Ota-Vin</c>); when given, the body's VIN must be the same.</param>
    public static EventReportParseResult Parse(ReadOnlyMemory<byte> utf8Body, string? signedVin = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Body, DocumentOptions);
        }
        catch (JsonException e)
        {
            return EventReportParseResult.Failure(EventReportCodes.MalformedJson, $"The body is not valid JSON: {e.Message}");
        }

        using (document)
            return Parse(document.RootElement, signedVin);
    }

    public static EventReportParseResult Parse(string body, string? signedVin = null) =>
        Parse(Encoding.UTF8.GetBytes(body ?? ""), signedVin);

    private static EventReportParseResult Parse(JsonElement root, string? signedVin)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return EventReportParseResult.Failure(EventReportCodes.InvalidRequest, "The body must be a JSON object with 'vin' and 'events'.");

        if (!root.TryGetProperty("vin", out var vinElement) || vinElement.ValueKind == JsonValueKind.Null
            || (vinElement.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(vinElement.GetString())))
            return EventReportParseResult.Failure(EventReportCodes.VinMissing, "Field 'vin' is missing.");

        var vin = vinElement.ValueKind == JsonValueKind.String ? Vin.Normalize(vinElement.GetString()) : null;
        if (vin is null)
            return EventReportParseResult.Failure(EventReportCodes.VinMalformed,
                "Field 'vin' must be 17 characters of A-Z and 0-9 without I, O and Q.");

        if (signedVin is not null && Vin.Normalize(signedVin) != vin)
            return EventReportParseResult.Failure(EventReportCodes.VinMismatch, "Field 'vin' is not the VIN the request was signed for.");

        if (!root.TryGetProperty("events", out var events) || events.ValueKind == JsonValueKind.Null)
            return EventReportParseResult.Failure(EventReportCodes.EventsMissing, "Field 'events' is missing.");
        if (events.ValueKind != JsonValueKind.Array)
            return EventReportParseResult.Failure(EventReportCodes.InvalidRequest, "Field 'events' must be an array.");

        return EventReportParseResult.Success(ParseEvents(vin, events));
    }

    private static EventReport ParseEvents(string vin, JsonElement events)
    {
        var parsed = new List<ReportedEvent>();
        var duplicates = new List<DuplicateEvent>();
        var rejected = new List<RejectedEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var index = 0;
        foreach (var element in events.EnumerateArray())
        {
            if (!ReportedEventParser.TryParse(element, index, out var evt, out var problem)) rejected.Add(problem);
            // Only an accepted event claims its id: a rejected first copy stores nothing, so a good second copy must not be lost.
            else if (!seen.Add(evt.EventId)) duplicates.Add(new DuplicateEvent(index, evt.EventId));
            else parsed.Add(evt);
            index++;
        }
        return new EventReport(vin, parsed, duplicates, rejected);
    }
}
