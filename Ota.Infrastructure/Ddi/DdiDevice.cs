using Ota.Domain;

namespace Ota.Infrastructure.Ddi;

/// <summary>What a device's action is: its task's deployment, or the cancel of one it was told about.</summary>
public enum DdiActionKind { Deployment, Cancel }

/// <summary>
/// The action a DDI device is offered: a task-VIN (the action id is the task's id, the controller id the VIN). A resend
/// of the same task-VIN is the same action again, with a later <see cref="NotifiedAt"/>.
/// </summary>
public sealed record DdiAction(long TaskId, DdiActionKind Kind, TaskType Type, string TargetVersion, TaskVinState State, string? MessageId,
    DateTime NotifiedAt);

/// <summary>What a poll of one DDI device is answered from (SPEC §14), as read by <see cref="DdiDevices"/>.</summary>
/// <param name="TokenHash">SHA-256 (hex) of its target token; null when none was issued.</param>
/// <param name="ConfigRequested">It has not sent its attributes yet: the poll links <c>configData</c>.</param>
/// <param name="InstalledTaskId">The latest task it finished successfully (<c>installedBase</c>).</param>
public sealed record DdiDevice(string Vin, bool Found, UpdateClient Client, string FirmwareVersion, string? TokenHash, bool ConfigRequested,
    DdiAction? Action, long? InstalledTaskId)
{
    public static DdiDevice Unknown(string vin) => new(vin, false, UpdateClient.Native, "", null, false, null, null);
}
