using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ota.Domain.Events.Reports;

namespace Ota.Web.Tests.Apis.Vehicles;

/// <summary>Valid event report bodies to start from; tests change one thing.</summary>
internal static class ReportBodies
{
    public const string TestVin = "LSVAB1234CD567890";
    public static readonly byte[] EepromData = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x01];

    public static JsonObject Event(string type, string? eventId = null)
    {
        var evt = new JsonObject
        {
            ["eventId"] = eventId ?? Guid.NewGuid().ToString(),
            ["type"] = type,
            ["occurredAt"] = "2025-03-03T08:15:00+08:00",
            ["taskId"] = 42,
            ["messageId"] = "msg-42-1",
        };
        foreach (var (name, value) in Fields(type)) evt[name] = value?.DeepClone();
        return evt;
    }

    private static JsonObject Fields(string type) => type switch
    {
        "DownloadProgress" => new() { ["packageId"] = 100, ["ecuCode"] = "CDC", ["bytesDownloaded"] = 1024, ["totalBytes"] = 4096 },
        "UpgradeProgress" => new() { ["ecuCode"] = "BMS", ["step"] = "Flashing", ["percent"] = 40 },
        "UpgradeStatus" => new()
        {
            ["state"] = "Failed", ["triggerType"] = "NormalTask", ["errorType"] = "UpgradeFailed",
            ["innerErrorCode"] = "E1203", ["version"] = "3.1.4",
        },
        "UpgradeCommand" => new() { ["command"] = "ScheduleUpgrade", ["scheduledFor"] = "2025-03-04T02:00:00Z" },
        "EepromClear" => new()
        {
            ["ecuCode"] = "VCU", ["result"] = "OK", ["data"] = Convert.ToBase64String(EepromData),
            ["sha256"] = Convert.ToHexString(SHA256.HashData(EepromData)),
        },
        _ => new(),
    };

    public static string Body(params JsonNode?[] events) =>
        new JsonObject { ["vin"] = TestVin, ["events"] = new JsonArray(events) }.ToJsonString();

    public static EventReport Parse(params JsonNode?[] events)
    {
        var result = Ota.Web.Apis.Vehicles.EventReportParser.Parse(Body(events));
        Assert.True(result.Succeeded, result.Error?.Detail);
        return result.Report;
    }

    public static RejectedEvent RejectionOf(JsonNode? evt)
    {
        var report = Parse(evt);
        Assert.Empty(report.Events);
        return Assert.Single(report.Rejected);
    }

    public static T Parsed<T>(JsonNode evt) where T : ReportedEvent
    {
        var report = Parse(evt);
        Assert.Empty(report.Rejected);
        return Assert.IsType<T>(Assert.Single(report.Events));
    }
}
