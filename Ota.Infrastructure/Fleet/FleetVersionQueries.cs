using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Fleet;

/// <summary>How many vehicles of a series-model run one firmware version.</summary>
public sealed record FirmwareShare(long SeriesModelId, string SeriesModel, string FirmwareVersion, long Vehicles);

/// <summary>
/// The fleet's versions: the firmware distribution per series-model (counted from the (series_model_id, firmware_version)
/// index alone, and shared for a few seconds by every page that asks), and vehicle selections counted and streamed.
/// </summary>
public sealed class FleetVersionQueries(IDbContextFactory<OtaDbContext> contexts, IMemoryCache cache)
{
    /// <summary>How long a distribution is shared: a million vehicles take a few tenths of a second to count.</summary>
    public static readonly TimeSpan SharedFor = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<FirmwareShare>> DistributionAsync(CancellationToken ct = default) =>
        (await cache.GetOrCreateAsync("fleet-firmware-distribution", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = SharedFor;
            await using var db = await contexts.CreateDbContextAsync(ct);
            var counts = await db.Vehicles.AsNoTracking().GroupBy(v => new { v.SeriesModelId, v.FirmwareVersion })
                .Select(g => new { g.Key.SeriesModelId, g.Key.FirmwareVersion, N = g.LongCount() }).ToListAsync(ct);
            var codes = await db.SeriesModels.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Code, ct);
            return (IReadOnlyList<FirmwareShare>)counts
                .Select(c => new FirmwareShare(c.SeriesModelId, codes.GetValueOrDefault(c.SeriesModelId, "?"), c.FirmwareVersion, c.N))
                .OrderBy(c => c.SeriesModel, StringComparer.Ordinal)
                .ThenByDescending(c => c.FirmwareVersion, Comparer<string>.Create(Ota.Domain.FirmwareVersion.Compare))
                .ToList();
        }))!;

    public async Task<long> CountAsync(VehicleSelection selection, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await selection.Of(db.Vehicles.AsNoTracking()).LongCountAsync(ct);
    }

    /// <summary>The selected VINs as a one-column CSV list (the VIN-list template's header), streamed server-side in VIN order.</summary>
    public async Task<long> WriteVinListAsync(VehicleSelection selection, Stream output, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await using var writer = new StreamWriter(output, leaveOpen: true);
        await writer.WriteLineAsync("VIN");
        long count = 0;
        await foreach (var vin in selection.Of(db.Vehicles.AsNoTracking()).OrderBy(v => v.Vin).Select(v => v.Vin).AsAsyncEnumerable().WithCancellation(ct))
        {
            await writer.WriteLineAsync(vin);
            count++;
        }
        return count;
    }
}
