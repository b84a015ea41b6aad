using System.Text.Json.Nodes;
using Ota.Domain;
using Ota.Domain.Events.Reports;
using Ota.Web.Apis.Vehicles;
using static Ota.Web.Tests.Apis.Vehicles.ReportBodies;

namespace Ota.Web.Tests.Apis.Vehicles;

/// <summary>Each event type parsed, and each reason one event is rejected.</summary>
public class ReportedEventParser
{
    [Fact]
    public void ParsesCommonFields()
    {
        var id = Guid.NewGuid();

        var evt = Parsed<ReportedUpgradeProgress>(Event("UpgradeProgress", id.ToString().ToUpperInvariant()));

        Assert.Equal(id.ToString(), evt.EventId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 0, 15, 0, TimeSpan.Zero), evt.OccurredAt.ToUniversalTime());
        Assert.Equal(42, evt.TaskId);
        Assert.Equal("msg-42-1", evt.MessageId);
    }

    [Fact]
    public void TaskIdAndMessageIdAreOptional()
    {
        var source = Event("UpgradeProgress");
        source.Remove("taskId");
        source["messageId"] = null;

        var evt = Parsed<ReportedUpgradeProgress>(source);

        Assert.Null(evt.TaskId);
        Assert.Null(evt.MessageId);
    }

    [Fact]
    public void ParsesDownloadProgress()
    {
        var evt = Parsed<ReportedDownloadProgress>(Event("DownloadProgress"));

        Assert.Equal((100L, "CDC", 1024L, 4096L), (evt.PackageId!.Value, evt.EcuCode, evt.BytesDownloaded, evt.TotalBytes));
    }

    [Fact]
    public void ParsesUpgradeProgress()
    {
        var evt = Parsed<ReportedUpgradeProgress>(Event("UpgradeProgress"));

        Assert.Equal(("BMS", "Flashing", 40), (evt.EcuCode, evt.Step, evt.Percent));
    }

    [Fact]
    public void ParsesUpgradeStatus()
    {
        var evt = Parsed<ReportedUpgradeStatus>(Event("UpgradeStatus"));

        Assert.Equal(UpgradeState.Failed, evt.State);
        Assert.Equal(TriggerType.NormalTask, evt.TriggerType);
        Assert.Equal(ErrorType.UpgradeFailed, evt.ErrorType);
        Assert.Equal("E1203", evt.InnerErrorCode);
        Assert.Equal("3.1.4", evt.Version);
    }

    [Fact]
    public void ParsesUpgradeStatusWithoutOptionalFields()
    {
        var source = Event("UpgradeStatus");
        source["state"] = "Succeeded";
        source.Remove("errorType");
        source["innerErrorCode"] = "";
        source["version"] = null;

        var evt = Parsed<ReportedUpgradeStatus>(source);

        Assert.Equal(UpgradeState.Succeeded, evt.State);
        Assert.Null(evt.ErrorType);
        Assert.Null(evt.InnerErrorCode);
        Assert.Null(evt.Version);
    }

    [Fact]
    public void AcceptsNumericInnerErrorCode()
    {
        var source = Event("UpgradeStatus");
        source["innerErrorCode"] = 1203;

        Assert.Equal("1203", Parsed<ReportedUpgradeStatus>(source).InnerErrorCode);
    }

    [Fact]
    public void ParsesUpgradeCommand()
    {
        var evt = Parsed<ReportedUpgradeCommand>(Event("UpgradeCommand"));

        Assert.Equal(UpgradeCommandType.ScheduleUpgrade, evt.Command);
        Assert.Equal(new DateTimeOffset(2025, 3, 4, 2, 0, 0, TimeSpan.Zero), evt.ScheduledFor);
    }

    [Fact]
    public void ScheduledForIsOptionalForUpgradeNow()
    {
        var source = Event("UpgradeCommand");
        source["command"] = "UpgradeNow";
        source.Remove("scheduledFor");

        Assert.Null(Parsed<ReportedUpgradeCommand>(source).ScheduledFor);
    }

    [Fact]
    public void ParsesEepromClearWithUpperCaseDigest()
    {
        var evt = Parsed<ReportedEepromClear>(Event("EepromClear"));

        Assert.Equal(("VCU", "OK"), (evt.EcuCode, evt.Result));
        Assert.Equal(EepromData, evt.Data);
        Assert.Equal(evt.Sha256.ToLowerInvariant(), evt.Sha256);
    }

    [Fact]
    public void MatchesEnumValuesIgnoringCase()
    {
        var source = Event("upgradestatus");
        source["state"] = "succeeded";
        source["triggerType"] = "FORCEDTASK";
        source["errorType"] = "rollbackSucceeded";

        var evt = Parsed<ReportedUpgradeStatus>(source);

        Assert.Equal((UpgradeState.Succeeded, TriggerType.ForcedTask, ErrorType.RollbackSucceeded),
            (evt.State, evt.TriggerType, evt.ErrorType!.Value));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"UpgradeStatus\"")]
    [InlineData("[]")]
    public void RejectsEventThatIsNotAnObject(string json)
    {
        Assert.Equal(EventReportCodes.EventInvalid, RejectionOf(JsonNode.Parse(json)).Code);
    }

    [Theory]
    [InlineData("Teleport")]
    [InlineData("1")]
    public void RejectsUnknownEventType(string type)
    {
        var rejected = RejectionOf(Event(type));

        Assert.Equal(EventReportCodes.EventTypeUnknown, rejected.Code);
        Assert.Contains(type, rejected.Detail);
    }

    [Theory]
    [InlineData("UpgradeStatus", "eventId")]
    [InlineData("UpgradeStatus", "type")]
    [InlineData("UpgradeStatus", "occurredAt")]
    [InlineData("DownloadProgress", "ecuCode")]
    [InlineData("DownloadProgress", "bytesDownloaded")]
    [InlineData("DownloadProgress", "totalBytes")]
    [InlineData("UpgradeProgress", "ecuCode")]
    [InlineData("UpgradeProgress", "step")]
    [InlineData("UpgradeProgress", "percent")]
    [InlineData("UpgradeStatus", "state")]
    [InlineData("UpgradeStatus", "triggerType")]
    [InlineData("UpgradeCommand", "command")]
    [InlineData("UpgradeCommand", "scheduledFor")]
    [InlineData("EepromClear", "ecuCode")]
    [InlineData("EepromClear", "result")]
    [InlineData("EepromClear", "data")]
    [InlineData("EepromClear", "sha256")]
    public void RejectsMissingField(string type, string field)
    {
        var source = Event(type);
        source.Remove(field);

        var rejected = RejectionOf(source);

        Assert.Equal(EventReportCodes.FieldMissing, rejected.Code);
        Assert.Contains($"'{field}'", rejected.Detail);
    }

    [Fact]
    public void TreatsNullAsMissing()
    {
        var source = Event("UpgradeProgress");
        source["step"] = null;

        Assert.Equal(EventReportCodes.FieldMissing, RejectionOf(source).Code);
    }

    [Theory]
    [InlineData("UpgradeStatus", "type", "7")]
    [InlineData("UpgradeStatus", "occurredAt", "1741000000")]
    [InlineData("UpgradeStatus", "occurredAt", "\"yesterday\"")]
    [InlineData("UpgradeStatus", "taskId", "\"42\"")]
    [InlineData("UpgradeStatus", "messageId", "17")]
    [InlineData("UpgradeStatus", "state", "5")]
    [InlineData("UpgradeStatus", "innerErrorCode", "true")]
    [InlineData("UpgradeStatus", "version", "3")]
    [InlineData("DownloadProgress", "packageId", "\"100\"")]
    [InlineData("DownloadProgress", "ecuCode", "{}")]
    [InlineData("DownloadProgress", "bytesDownloaded", "\"1024\"")]
    [InlineData("DownloadProgress", "totalBytes", "4096.5")]
    [InlineData("UpgradeProgress", "step", "[]")]
    [InlineData("UpgradeProgress", "percent", "\"40%\"")]
    [InlineData("UpgradeCommand", "scheduledFor", "true")]
    [InlineData("EepromClear", "data", "[1,2,3]")]
    [InlineData("EepromClear", "sha256", "256")]
    public void RejectsFieldOfTheWrongJsonKind(string type, string field, string json)
    {
        var source = Event(type);
        source[field] = JsonNode.Parse(json);

        var rejected = RejectionOf(source);

        Assert.Equal(EventReportCodes.FieldInvalid, rejected.Code);
        Assert.Contains($"'{field}'", rejected.Detail);
    }

    [Theory]
    [InlineData("UpgradeStatus", "state", "Exploded")]
    [InlineData("UpgradeStatus", "state", "6")]
    [InlineData("UpgradeStatus", "triggerType", "Ota")]
    [InlineData("UpgradeStatus", "errorType", "OutOfCoffee")]
    [InlineData("UpgradeCommand", "command", "UpgradeLater")]
    public void RejectsUnknownEnumValue(string type, string field, string value)
    {
        var source = Event(type);
        source[field] = value;

        var rejected = RejectionOf(source);

        Assert.Equal(EventReportCodes.EnumValueUnknown, rejected.Code);
        Assert.Contains($"'{field}'", rejected.Detail);
    }

    [Theory]
    [InlineData("\"not-a-uuid\"")]
    [InlineData("\"00000000-0000-0000-0000-000000000000\"")]
    [InlineData("\"\"")]
    [InlineData("12345")]
    public void RejectsInvalidEventId(string json)
    {
        var source = Event("UpgradeStatus");
        source["eventId"] = JsonNode.Parse(json);

        Assert.Equal(EventReportCodes.EventIdInvalid, RejectionOf(source).Code);
    }

    [Fact]
    public void RejectsEepromClearWhoseDataDoesNotMatchItsDigest()
    {
        var source = Event("EepromClear");
        source["data"] = Convert.ToBase64String([0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x02]);

        Assert.Equal(EventReportCodes.IntegrityFailed, RejectionOf(source).Code);
    }

    [Theory]
    [InlineData("data", "not base64!")]
    [InlineData("sha256", "abc123")]
    [InlineData("sha256", "zz0000000000000000000000000000000000000000000000000000000000000000")]
    public void RejectsUndecodableEepromFields(string field, string value)
    {
        var source = Event("EepromClear");
        source[field] = value;

        var rejected = RejectionOf(source);

        Assert.Equal(EventReportCodes.FieldInvalid, rejected.Code);
        Assert.Contains($"'{field}'", rejected.Detail);
    }

    [Theory]
    [InlineData("DownloadProgress", "bytesDownloaded", -1)]
    [InlineData("DownloadProgress", "totalBytes", -4096)]
    [InlineData("DownloadProgress", "packageId", 0)]
    [InlineData("UpgradeProgress", "percent", -1)]
    [InlineData("UpgradeProgress", "percent", 101)]
    [InlineData("UpgradeStatus", "taskId", -42)]
    public void RejectsNumberOutOfRange(string type, string field, long value)
    {
        var source = Event(type);
        source[field] = value;

        var rejected = RejectionOf(source);

        Assert.Equal(EventReportCodes.FieldInvalid, rejected.Code);
        Assert.Contains($"'{field}'", rejected.Detail);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void AcceptsPercentAtTheEndsOfItsRange(int percent)
    {
        var source = Event("UpgradeProgress");
        source["percent"] = percent;

        Assert.Equal(percent, Parsed<ReportedUpgradeProgress>(source).Percent);
    }

    [Fact]
    public void RejectsMoreBytesDownloadedThanTheTotal()
    {
        var source = Event("DownloadProgress");
        source["bytesDownloaded"] = 4097;

        Assert.Equal(EventReportCodes.FieldInvalid, RejectionOf(source).Code);
    }

    [Fact]
    public void RejectsTimestampWithoutOffset()
    {
        var source = Event("UpgradeStatus");
        source["occurredAt"] = "2025-03-03T08:15:00";

        Assert.Equal(EventReportCodes.FieldInvalid, RejectionOf(source).Code);
    }

    [Fact]
    public void RejectsReportedVersionThatIsNotAVersion()
    {
        var source = Event("UpgradeStatus");
        source["version"] = "v3.1-beta";

        Assert.Equal(EventReportCodes.FieldInvalid, RejectionOf(source).Code);
    }

    [Fact]
    public void RejectsOverlongText()
    {
        var source = Event("UpgradeProgress");
        source["ecuCode"] = new string('X', EventFieldLimits.EcuCode + 1);

        Assert.Equal(EventReportCodes.FieldInvalid, RejectionOf(source).Code);
    }

    [Fact]
    public void ReportsTheFirstProblemOfAnEvent()
    {
        var source = Event("UpgradeStatus");
        source.Remove("eventId");
        source["state"] = "Exploded";

        var rejected = RejectionOf(source);

        Assert.Equal(EventReportCodes.FieldMissing, rejected.Code);
        Assert.Contains("'eventId'", rejected.Detail);
    }
}
