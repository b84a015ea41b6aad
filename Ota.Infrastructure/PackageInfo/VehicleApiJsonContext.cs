using System.Text.Json;
using System.Text.Json.Serialization;
using Ota.Domain.Vehicles.Packages;
using Ota.Infrastructure.EventReports;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.PackageInfo;

/// <summary>The answer to an event report (SPEC §7).</summary>
public sealed record EventReportAnswer(int Accepted, int Duplicates, IReadOnlyList<RejectedEventAnswer> Rejected);

public sealed record RejectedEventAnswer(int Index, string Code, string Detail);

/// <summary>Source-generated JSON for the vehicle API's hot payloads: camelCase, enums as their names, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PackageDescription))]
[JsonSerializable(typeof(EventReportAnswer))]
public sealed partial class VehicleApiJsonContext : JsonSerializerContext;
