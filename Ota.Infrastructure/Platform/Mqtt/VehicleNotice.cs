using Ota.Domain;

namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>An upgrade or cancel notice for one vehicle (SPEC §5); a DDI device's (<see cref="Client"/>) is not published, it polls (SPEC §14).</summary>
public sealed record VehicleNotice(
    string MessageId,
    long TaskId,
    string Vin,
    string Version,
    long? PackageId,
    TaskType UpgradeType,
    Generation Generation,
    NoticeKind Kind = NoticeKind.Upgrade,
    UpdateClient Client = UpdateClient.Native)
{
    public string Topic => NoticeTopics.ForVin(Vin);

    /// <summary>The JSON body: the SPEC §5 fields, plus <c>"kind": "cancel"</c> for a cancel notice.</summary>
    public NoticeMessage ToMessage() => new(
        MessageId, TaskId, Vin, Version, PackageId, UpgradeType.ToString(), Generation.ToString(),
        Kind == NoticeKind.Cancel ? NoticeMessage.CancelKind : null);
}
