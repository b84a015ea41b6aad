using System.Text;
using Ota.Domain;
using Ota.Domain.Events.Reports;
using Ota.Web.Apis.Vehicles;
using static Ota.Web.Tests.Apis.Vehicles.ReportBodies;
using Sut = Ota.Web.Apis.Vehicles.EventReportParser;

namespace Ota.Web.Tests.Apis.Vehicles;

/// <summary>Whole-request problems, and how events are split into parsed, duplicate and rejected.</summary>
public class EventReportParser
{
    private static EventReportRequestError RequestError(string body, string? signedVin = null)
    {
        var result = Sut.Parse(body, signedVin);
        Assert.False(result.Succeeded);
        return result.Error;
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("vin=LSVAB1234CD567890")]
    [InlineData("{\"vin\": \"LSVAB1234CD567890\", \"events\": [],}")]
    public void RejectsBodyThatIsNotJson(string body)
    {
        Assert.Equal(EventReportCodes.MalformedJson, RequestError(body).Code);
    }

    [Fact]
    public void RejectsDuplicatePropertyNamesAsMalformed()
    {
        var body = $$"""{"vin":"{{TestVin}}","vin":"LSVAB1234CD567891","events":[]}""";

        Assert.Equal(EventReportCodes.MalformedJson, RequestError(body).Code);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"LSVAB1234CD567890\"")]
    public void RejectsBodyThatIsNotAnObject(string body)
    {
        Assert.Equal(EventReportCodes.InvalidRequest, RequestError(body).Code);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("\"none\"")]
    public void RejectsEventsThatAreNotAnArray(string events)
    {
        var body = $$"""{"vin":"{{TestVin}}","events":{{events}}}""";

        Assert.Equal(EventReportCodes.InvalidRequest, RequestError(body).Code);
    }

    [Theory]
    [InlineData("""{"events":[]}""")]
    [InlineData("""{"vin":null,"events":[]}""")]
    [InlineData("""{"vin":"  ","events":[]}""")]
    public void RejectsMissingVin(string body)
    {
        Assert.Equal(EventReportCodes.VinMissing, RequestError(body).Code);
    }

    [Theory]
    [InlineData("\"LSVAB1234CD56789O\"")]
    [InlineData("\"LSVAB1234CD5678\"")]
    [InlineData("12345678901234567")]
    public void RejectsMalformedVin(string vin)
    {
        Assert.Equal(EventReportCodes.VinMalformed, RequestError($$"""{"vin":{{vin}},"events":[]}""").Code);
    }

    [Fact]
    public void RejectsVinOtherThanTheSignedOne()
    {
        Assert.Equal(EventReportCodes.VinMismatch, RequestError(Body(), signedVin: "LSVAB1234CD567891").Code);
    }

    [Fact]
    public void AcceptsSignedVinInAnotherSpelling()
    {
        Assert.True(Sut.Parse(Body(), signedVin: " lsvab1234cd567890 ").Succeeded);
    }

    [Theory]
    [InlineData("""{"vin":"LSVAB1234CD567890"}""")]
    [InlineData("""{"vin":"LSVAB1234CD567890","events":null}""")]
    public void RejectsMissingEvents(string body)
    {
        Assert.Equal(EventReportCodes.EventsMissing, RequestError(body).Code);
    }

    [Fact]
    public void AcceptsEmptyEventListWithNormalisedVin()
    {
        var result = Sut.Parse(Encoding.UTF8.GetBytes("""{"vin":" lsvab1234cd567890 ","events":[]}"""));

        Assert.True(result.Succeeded);
        Assert.Equal(TestVin, result.Report.Vin);
        Assert.Empty(result.Report.Events);
        Assert.Empty(result.Report.Rejected);
    }

    [Fact]
    public void KeepsGoodEventsAndRejectsBadOnesWithTheirIndex()
    {
        var bad = Event("UpgradeProgress");
        bad["percent"] = 101;

        var report = Parse(Event("DownloadProgress"), bad, Event("UpgradeStatus"), Event("Teleport"));

        Assert.Equal([0, 2], report.Events.Select(e => e.Index));
        Assert.Equal([VehicleEventType.DownloadProgress, VehicleEventType.UpgradeStatus], report.Events.Select(e => e.Type));
        Assert.Equal([(1, EventReportCodes.FieldInvalid), (3, EventReportCodes.EventTypeUnknown)],
            report.Rejected.Select(r => (r.Index, r.Code)));
    }

    [Fact]
    public void CountsRepeatedEventIdAsDuplicate()
    {
        var id = Guid.NewGuid().ToString();

        var report = Parse(Event("UpgradeStatus", id), Event("DownloadProgress"), Event("UpgradeStatus", id));

        Assert.Equal([0, 1], report.Events.Select(e => e.Index));
        Assert.Equal(new DuplicateEvent(2, id), Assert.Single(report.Duplicates));
    }

    [Fact]
    public void RecognisesDuplicateEventIdInAnotherSpelling()
    {
        var id = Guid.NewGuid();

        var report = Parse(Event("UpgradeStatus", id.ToString("D").ToUpperInvariant()), Event("UpgradeStatus", id.ToString("N")));

        Assert.Equal(id.ToString("D"), Assert.Single(report.Events).EventId);
        Assert.Equal(1, Assert.Single(report.Duplicates).Index);
    }

    [Fact]
    public void RejectedFirstCopyDoesNotMakeGoodSecondCopyADuplicate()
    {
        var id = Guid.NewGuid().ToString();
        var broken = Event("UpgradeStatus", id);
        broken.Remove("state");

        var report = Parse(broken, Event("UpgradeStatus", id));

        Assert.Equal(1, Assert.Single(report.Events).Index);
        Assert.Empty(report.Duplicates);
        Assert.Equal(0, Assert.Single(report.Rejected).Index);
    }

    [Fact]
    public void IgnoresUnknownFields()
    {
        var evt = Event("UpgradeProgress");
        evt["batteryVoltage"] = 12.6;

        Assert.Equal(40, Parsed<ReportedUpgradeProgress>(evt).Percent);
    }
}
