using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Ddi;

/// <summary>
/// The state a DDI poll is answered from, per device, kept in memory while <see cref="DdiWork"/>'s generation holds and
/// for at most <see cref="DdiOptions.CacheFor"/> (SPEC §14: a poll with nothing new costs no query). A change any instance
/// commits (a notice recorded, a cancel owed, a device's feedback, a token) bumps the generation, and every instance reads
/// the device again on its next poll.
/// </summary>
public sealed class DdiDevices(MySqlConnectionFactory connections, DdiWork work, IOptions<DdiOptions> options) : IDisposable
{
    private static readonly string InFlight = Sql.List(TaskVinLifecycle.InFlight);
    private static readonly string Cancelled = Sql.Text(TaskVinState.Cancelled);
    private static readonly string Succeeded = Sql.Text(TaskVinState.Succeeded);
    private static readonly string CancelOwed = Sql.List([CancelNoticeState.Due, CancelNoticeState.Sent]);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.CachedDevices });

    private sealed record Entry(long Generation, DdiDevice Device);

    public async ValueTask<DdiDevice> GetAsync(string vin, CancellationToken ct)
    {
        var generation = await work.CurrentAsync(ct);
        if (generation is { } g && _cache.TryGetValue(vin, out Entry? entry) && entry!.Generation == g) return entry.Device;
        var device = await ReadAsync(vin, ct);
        if (generation is { } current)
            _cache.Set(vin, new Entry(current, device), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = options.Value.CacheFor });
        return device;
    }

    /// <summary>
    /// The device and the action to offer, in one round trip: of its task-VINs still in flight and the cancels owed to it,
    /// the latest notified (a cancel before a deployment of the same moment, as hawkBit offers the cancel of an action
    /// first); an older owed cancel does not hold up a newer deployment. A deployment notified before the device last
    /// closed one is not offered again: the device has moved past it (it stays in flight for the operator or the timeout).
    /// </summary>
    private async Task<DdiDevice> ReadAsync(string vin, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = Sql.Command(connection, null,
            $"""
            SELECT v.update_client, v.firmware_version, d.token_hash, d.config_data_at IS NULL, d.closed_at
            FROM ota_vehicle v LEFT JOIN ota_ddi_target d ON d.vin = v.vin WHERE v.vin = @vin;
            SELECT tv.task_id, tv.state, tv.message_id, tv.notified_at, t.type, t.target_version, tv.state = {Cancelled}
            FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id
            WHERE tv.vin = @vin AND tv.notified_at IS NOT NULL
              AND ((tv.state IN {InFlight} AND tv.is_delete = 0) OR (tv.state = {Cancelled} AND tv.cancel_notice IN {CancelOwed}))
            ORDER BY tv.notified_at DESC, tv.state = {Cancelled} DESC;
            SELECT MAX(task_id) FROM ota_task_vin WHERE vin = @vin AND state = {Succeeded};
            """, ("@vin", vin));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return DdiDevice.Unknown(vin);
        var client = Enum.Parse<UpdateClient>(reader.GetString(0));
        var firmware = reader.GetString(1);
        var tokenHash = reader.IsDBNull(2) ? null : reader.GetString(2);
        var configRequested = reader.GetBoolean(3);
        DateTime? closedAt = reader.IsDBNull(4) ? null : reader.GetDateTime(4);

        await reader.NextResultAsync(ct);
        DdiAction? action = null;
        while (action is null && await reader.ReadAsync(ct))
        {
            var candidate = new DdiAction(reader.GetInt64(0), reader.GetBoolean(6) ? DdiActionKind.Cancel : DdiActionKind.Deployment,
                Enum.Parse<TaskType>(reader.GetString(4)), reader.GetString(5), Enum.Parse<TaskVinState>(reader.GetString(1)),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetDateTime(3));
            // A deployment the device closed itself is over for it, though the follow-up has not moved the task-VIN yet;
            // a resend (notified again later) offers it again.
            var closedByDevice = candidate.Kind == DdiActionKind.Deployment && closedAt >= candidate.NotifiedAt;
            if (!closedByDevice) action = candidate;
        }
        // The remaining candidates are not offered (moving to the next result skips them).
        await reader.NextResultAsync(ct);
        long? installed = await reader.ReadAsync(ct) && !reader.IsDBNull(0) ? reader.GetInt64(0) : null;
        return new DdiDevice(vin, true, client, firmware, tokenHash, configRequested, action, installed);
    }

    /// <summary>
    /// Drops one device's state on this instance only, for a change that is harmless where another instance still has
    /// the old state for up to <see cref="DdiOptions.CacheFor"/> (its attributes: at worst it sends them again).
    /// </summary>
    public void Forget(string vin) => _cache.Remove(vin);

    public void Dispose() => _cache.Dispose();
}
