using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.FollowUps;

/// <summary>The follow-up backlog: status reports whose follow-ups are not decided yet, from the (state, step, next_attempt_at) index.</summary>
internal sealed class FollowUpGauges(MySqlConnectionFactory connections) : IGaugeSource
{
    public const string Queue = "follow-ups";

    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var waiting = Convert.ToInt64(await Sql.ScalarAsync(connection, null,
            $"SELECT COUNT(*) FROM ota_follow_up WHERE state = {Sql.Text(FollowUpState.Pending)} AND step = {Sql.Text(FollowUpStep.Decide)}", ct),
            System.Globalization.CultureInfo.InvariantCulture);
        return [new GaugeReading(OtaMetrics.QueueLength, Queue, waiting)];
    }
}
