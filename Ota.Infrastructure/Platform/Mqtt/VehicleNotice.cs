using Ota.Domain;
using Ota.Infrastructure.Platform.Security;

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

    /// <summary>
    /// The JSON body: the SPEC §5 fields, plus <c>"kind": "cancel"</c> for a cancel notice, and the signature of
    /// <paramref name="key"/> with its <c>keyId</c> (none without a key).
    /// </summary>
    public NoticeMessage ToMessage(ActiveSigningKey? key = null)
    {
        var (upgradeType, generation) = (UpgradeType.ToString(), Generation.ToString());
        var kind = Kind == NoticeKind.Cancel ? NoticeMessage.CancelKind : null;
        var signature = key is null ? null : NoticeSignature.Sign(key, MessageId, TaskId, Vin, Version, PackageId, upgradeType, generation, kind);
        return new(MessageId, TaskId, Vin, Version, PackageId, upgradeType, generation, kind, key?.KeyId, signature);
    }
}
