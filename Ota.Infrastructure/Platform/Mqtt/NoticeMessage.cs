using System.Text.Json.Serialization;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>
/// The JSON a vehicle receives on <c>ota/v1/vehicles/{vin}/notices</c>. Upgrade notices carry no <c>kind</c>. Every
/// notice the product sends carries <c>keyId</c> and <c>signature</c> (<see cref="NoticeSignature"/>, SPEC §15).
/// </summary>
public sealed record NoticeMessage(
    string MessageId,
    long TaskId,
    string Vin,
    string Version,
    long? PackageId,
    string UpgradeType,
    string Generation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? KeyId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Signature = null)
{
    public const string CancelKind = "cancel";

    [JsonIgnore]
    public bool IsCancel => Kind == CancelKind;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(NoticeMessage))]
internal sealed partial class NoticeJsonContext : JsonSerializerContext;
