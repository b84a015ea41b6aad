namespace Ota.Infrastructure.Ddi;

/// <summary>The Eclipse hawkBit DDI API (SPEC §14), section <c>Ddi</c>.</summary>
public sealed class DdiOptions
{
    public const string Section = "Ddi";

    /// <summary>The <c>{tenant}</c> of every DDI path (hawkBit's default tenant name); compared without case.</summary>
    public string Tenant { get; set; } = "DEFAULT";

    /// <summary>How long a device sleeps between polls (<c>config.polling.sleep</c>); hawkBit's default is 5 minutes.</summary>
    public TimeSpan PollingSleep { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Optional tenant-wide token (<c>Authorization: GatewayToken …</c>) that speaks for every DDI device; from the environment.</summary>
    public string? GatewayToken { get; set; }

    /// <summary>
    /// How long a device's state answers its polls at most. Every change a poll must see at once bumps the shared
    /// generation; the rest (a task-VIN the follow-up moved to Succeeded, so <c>installedBase</c>; one a job timed out)
    /// reaches the poll within this time. Longer than <see cref="PollingSleep"/>, so that a device polling at its interval
    /// is answered from memory.
    /// </summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Devices whose state a poll answers from memory, per instance.</summary>
    public int CachedDevices { get; set; } = 500_000;
}
