namespace Ota.Web.Apis.Vehicles;

/// <summary>Stable codes of the event report endpoint (SPEC §7 reportEvent).</summary>
public static class EventReportCodes
{
    // The request as a whole: answered 400, nothing stored.
    public const string MalformedJson = "MALFORMED_JSON";
    public const string InvalidRequest = "INVALID_REQUEST";
    public const string VinMissing = "VIN_MISSING";
    public const string VinMalformed = "VIN_MALFORMED";
    public const string VinMismatch = "VIN_MISMATCH";
    public const string EventsMissing = "EVENTS_MISSING";

    // One event: listed in "rejected", the other events are stored.
    public const string EventInvalid = "EVENT_INVALID";
    public const string EventIdInvalid = "EVENT_ID_INVALID";
    public const string EventTypeUnknown = "EVENT_TYPE_UNKNOWN";
    public const string FieldMissing = "FIELD_MISSING";
    public const string FieldInvalid = "FIELD_INVALID";
    public const string EnumValueUnknown = "ENUM_VALUE_UNKNOWN";
    public const string IntegrityFailed = "INTEGRITY_FAILED";
}
