using System.Globalization;
using Ota.Domain;
using Ota.Domain.Vehicles;

namespace Ota.Infrastructure.Fleet;

/// <summary>
/// Vehicles picked by their facts rather than listed in a file: one series-model, and optionally a firmware version,
/// a lifecycle status, a usage, sold and activated. The fleet-versions page builds it; a task can be made of it.
/// </summary>
public sealed record VehicleSelection(long SeriesModelId, string? FirmwareVersion = null, LifecycleStatus? Lifecycle = null,
    VehicleUsage? Usage = null, bool? Sold = null, bool? Activated = null)
{
    /// <summary>The vehicles of the selection.</summary>
    internal IQueryable<Vehicle> Of(IQueryable<Vehicle> vehicles) =>
        Matching(vehicles, SeriesModelId, FirmwareVersion, Lifecycle, Usage, Sold, Activated);

    /// <summary>Vehicles by their facts, each one given: the one home of the registry's filters (the Vehicles page, a selection).</summary>
    internal static IQueryable<Vehicle> Matching(IQueryable<Vehicle> vehicles, long? seriesModelId, string? firmwareVersion, LifecycleStatus? lifecycle,
        VehicleUsage? usage, bool? sold, bool? activated)
    {
        if (seriesModelId is { } sm) vehicles = vehicles.Where(v => v.SeriesModelId == sm);
        if (firmwareVersion is { } fw) vehicles = vehicles.Where(v => v.FirmwareVersion == fw);
        if (lifecycle is { } l) vehicles = vehicles.Where(v => v.LifecycleStatus == l);
        if (usage is { } u) vehicles = vehicles.Where(v => v.Usage == u);
        if (sold is { } s) vehicles = vehicles.Where(v => v.Sold == s);
        if (activated is { } a) vehicles = vehicles.Where(v => v.Activated == a);
        return vehicles;
    }

    /// <summary>The selection in words, for the task's upload name and the audit log.</summary>
    public string Describe(string seriesModelCode) => string.Join(", ", new[]
    {
        seriesModelCode,
        FirmwareVersion is null ? null : $"firmware {FirmwareVersion}",
        Lifecycle?.ToString(),
        Usage?.ToString(),
        Sold is null ? null : Sold.Value ? "sold" : "not sold",
        Activated is null ? null : Activated.Value ? "activated" : "not activated",
    }.Where(p => p is not null));

    /// <summary>The selection as an address's query, read back by <see cref="FromQuery"/>.</summary>
    public string ToQuery() => string.Join("&", new[]
    {
        $"sm={SeriesModelId.ToString(CultureInfo.InvariantCulture)}",
        FirmwareVersion is null ? null : $"fw={Uri.EscapeDataString(FirmwareVersion)}",
        Lifecycle is null ? null : $"lifecycle={Lifecycle}",
        Usage is null ? null : $"usage={Usage}",
        Sold is null ? null : $"sold={(Sold.Value ? "true" : "false")}",
        Activated is null ? null : $"activated={(Activated.Value ? "true" : "false")}",
    }.Where(p => p is not null));

    /// <summary>The selection of an address's query values, or null when the series-model is missing or a value is not one.</summary>
    public static VehicleSelection? FromQuery(string? sm, string? fw, string? lifecycle, string? usage, string? sold, string? activated)
    {
        if (!long.TryParse(sm, NumberStyles.None, CultureInfo.InvariantCulture, out var seriesModel)) return null;
        LifecycleStatus? l = null;
        VehicleUsage? u = null;
        if (!string.IsNullOrEmpty(lifecycle))
        {
            if (!Enum.GetNames<LifecycleStatus>().Contains(lifecycle)) return null;
            l = Enum.Parse<LifecycleStatus>(lifecycle);
        }
        if (!string.IsNullOrEmpty(usage))
        {
            if (!Enum.GetNames<VehicleUsage>().Contains(usage)) return null;
            u = Enum.Parse<VehicleUsage>(usage);
        }
        bool? Flag(string? value) => value switch { "true" => true, "false" => false, _ => null };
        if (sold is not (null or "" or "true" or "false") || activated is not (null or "" or "true" or "false")) return null;
        return new VehicleSelection(seriesModel, string.IsNullOrWhiteSpace(fw) ? null : fw.Trim(), l, u, Flag(sold), Flag(activated));
    }
}
