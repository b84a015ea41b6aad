using Ota.Domain;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.Rollouts;

/// <summary>Tasks by state (every state, 0 included, so a graph has its series) and paused tasks by why: two small GROUP BYs on ota_task.</summary>
internal sealed class RolloutGauges(MySqlConnectionFactory connections) : IGaugeSource
{
    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(CancellationToken ct)
    {
        var byState = Enum.GetNames<UpgradeTaskStatus>().ToDictionary(s => s, _ => 0L);
        var readings = new List<GaugeReading>();
        await using var connection = await connections.OpenAsync(ct);
        await using (var command = Sql.Command(connection, null, "SELECT status, COUNT(*) FROM ota_task GROUP BY status"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) byState[reader.GetString(0)] = reader.GetInt64(1);
        }
        readings.AddRange(byState.Select(s => new GaugeReading(OtaMetrics.Tasks, s.Key, s.Value)));
        await using (var command = Sql.Command(connection, null,
            $"""
            SELECT COALESCE(r.pause_code, 'UNKNOWN'), COUNT(*) FROM ota_task t LEFT JOIN ota_task_rollout r ON r.task_id = t.id
            WHERE t.status = {Sql.Text(UpgradeTaskStatus.Paused)} GROUP BY 1
            """))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) readings.Add(new GaugeReading(OtaMetrics.PausedRollouts, reader.GetString(0), reader.GetInt64(1)));
        }
        if (!readings.Any(r => r.Gauge == OtaMetrics.PausedRollouts))
            readings.Add(new GaugeReading(OtaMetrics.PausedRollouts, "none", 0));
        return readings;
    }
}
