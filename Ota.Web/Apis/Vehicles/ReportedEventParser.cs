using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using Ota.Domain;
using Ota.Domain.Events.Reports;

namespace Ota.Web.Apis.Vehicles;

/// <summary>Parses one element of a report's <c>events</c> array into a typed event, or says why it is rejected.</summary>
internal static class ReportedEventParser
{
    public static bool TryParse(JsonElement element, int index,
        [NotNullWhen(true)] out ReportedEvent? parsed, [NotNullWhen(false)] out RejectedEvent? rejected)
    {
        parsed = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            rejected = new RejectedEvent(index, EventReportCodes.EventInvalid, "An event must be a JSON object.");
            return false;
        }

        var fields = new EventFields(element) { Index = index };
        var eventId = EventId(fields);
        var type = Type(fields);
        var header = new ReportedEventHeader(
            index,
            eventId,
            fields.RequiredTimestamp("occurredAt"),
            fields.OptionalInteger("taskId", min: 1),
            fields.OptionalString("messageId", EventFieldLimits.MessageId));

        ReportedEvent? evt = type switch
        {
            VehicleEventType.DownloadProgress => DownloadProgress(fields, header),
            VehicleEventType.UpgradeProgress => UpgradeProgress(fields, header),
            VehicleEventType.UpgradeStatus => UpgradeStatus(fields, header),
            VehicleEventType.UpgradeCommand => UpgradeCommand(fields, header),
            VehicleEventType.EepromClear => EepromClear(fields, header),
            _ => null,
        };
        rejected = fields.Problem;
        if (rejected is not null) return false;
        parsed = evt ?? throw new UnreachableException("Without a problem the event type was known, so an event was built.");
        return true;
    }

    /// <summary>Normalised to lower-case "D" form so that duplicates are found whatever the spelling.</summary>
    private static string EventId(EventFields fields)
    {
        if (!fields.TryGetValue("eventId", required: true, out var value)) return "";
        // The empty UUID is what a vehicle sends when it forgot to make one; accepting it would make its later events duplicates.
        if (value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id) && id != Guid.Empty)
            return id.ToString("D");
        fields.Reject(EventReportCodes.EventIdInvalid, "Field 'eventId' must be a non-empty UUID string.");
        return "";
    }

    private static VehicleEventType? Type(EventFields fields)
    {
        var text = fields.RequiredString("type", 64);
        if (fields.Problem is not null) return null;
        if (EnumNames<VehicleEventType>.TryParse(text, out var type)) return type;
        fields.Reject(EventReportCodes.EventTypeUnknown,
            $"Unknown event type '{EventFields.Shorten(text)}'; expected one of {EnumNames<VehicleEventType>.List}.");
        return null;
    }

    private static ReportedDownloadProgress DownloadProgress(EventFields f, ReportedEventHeader header)
    {
        var evt = new ReportedDownloadProgress(header)
        {
            PackageId = f.OptionalInteger("packageId", min: 1),
            EcuCode = f.RequiredString("ecuCode", EventFieldLimits.EcuCode),
            BytesDownloaded = f.RequiredInteger("bytesDownloaded", min: 0),
            TotalBytes = f.RequiredInteger("totalBytes", min: 0),
        };
        if (f.Problem is null && evt.BytesDownloaded > evt.TotalBytes)
            f.Reject(EventReportCodes.FieldInvalid, "Field 'bytesDownloaded' must not exceed 'totalBytes'.");
        return evt;
    }

    private static ReportedUpgradeProgress UpgradeProgress(EventFields f, ReportedEventHeader header) => new(header)
    {
        EcuCode = f.RequiredString("ecuCode", EventFieldLimits.EcuCode),
        Step = f.RequiredString("step", EventFieldLimits.Step),
        Percent = (int)f.RequiredInteger("percent", min: 0, max: 100),
    };

    private static ReportedUpgradeStatus UpgradeStatus(EventFields f, ReportedEventHeader header)
    {
        var evt = new ReportedUpgradeStatus(header)
        {
            State = f.RequiredEnum<UpgradeState>("state"),
            TriggerType = f.RequiredEnum<TriggerType>("triggerType"),
            ErrorType = f.OptionalEnum<ErrorType>("errorType"),
            InnerErrorCode = f.OptionalCode("innerErrorCode", EventFieldLimits.InnerErrorCode),
            Version = f.OptionalString("version", EventFieldLimits.Version),
        };
        // The version may become the vehicle's firmware version, which validation compares numerically.
        if (f.Problem is null && evt.Version is not null && !FirmwareVersion.TryParse(evt.Version, out _))
            f.Reject(EventReportCodes.FieldInvalid, "Field 'version' must be a dotted numeric version.");
        return evt;
    }

    private static ReportedUpgradeCommand UpgradeCommand(EventFields f, ReportedEventHeader header)
    {
        var command = f.RequiredEnum<UpgradeCommandType>("command");
        var scheduledFor = command == UpgradeCommandType.ScheduleUpgrade
            ? f.RequiredTimestamp("scheduledFor")
            : f.OptionalTimestamp("scheduledFor");
        return new ReportedUpgradeCommand(header) { Command = command, ScheduledFor = scheduledFor };
    }

    private static ReportedEepromClear EepromClear(EventFields f, ReportedEventHeader header)
    {
        var evt = new ReportedEepromClear(header)
        {
            EcuCode = f.RequiredString("ecuCode", EventFieldLimits.EcuCode),
            Result = f.RequiredString("result", EventFieldLimits.Result),
            Data = f.RequiredBase64("data"),
            Sha256 = f.RequiredSha256("sha256"),
        };
        if (f.Problem is null && Convert.ToHexStringLower(SHA256.HashData(evt.Data)) != evt.Sha256)
            f.Reject(EventReportCodes.IntegrityFailed, "The SHA-256 of 'data' does not match 'sha256'.");
        return evt;
    }
}
