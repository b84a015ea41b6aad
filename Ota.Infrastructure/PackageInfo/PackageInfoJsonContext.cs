using System.Text.Json;
using System.Text.Json.Serialization;
using Ota.Domain.Vehicles.Packages;

namespace Ota.Infrastructure.PackageInfo;

/// <summary>Source-generated JSON for the package description, the vehicle API's hottest payload: camelCase, enums as their names, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PackageDescription))]
public sealed partial class PackageInfoJsonContext : JsonSerializerContext;
