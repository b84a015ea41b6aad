using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ota.Infrastructure.EventReports;

/// <summary>The answer to an event report (SPEC §7).</summary>
public sealed record EventReportAnswer(int Accepted, int Duplicates, IReadOnlyList<RejectedEventAnswer> Rejected);

public sealed record RejectedEventAnswer(int Index, string Code, string Detail);

/// <summary>Source-generated JSON for the answer to every report: camelCase, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EventReportAnswer))]
public sealed partial class EventReportJsonContext : JsonSerializerContext;
