using System.Globalization;
using MySqlConnector;
using Ota.Domain.Operations;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// Claims due follow-up rows for one worker with one atomic UPDATE (a claim token and a <see cref="Lease"/>), so several
/// app instances never work on the same row and a crashed instance's rows are taken over once its lease runs out.
/// </summary>
internal static class FollowUpClaims
{
    private static readonly string Pending = Sql.Text(FollowUpState.Pending);

    public static async Task<(string Token, List<long> Ids)> ClaimAsync(MySqlConnection connection, string instance, bool decide,
        int limit, DateTime now, TimeSpan lease, CancellationToken ct)
    {
        var token = Lease.NewToken(instance);
        var stepFilter = $"step {(decide ? "=" : "<>")} {Sql.Text(FollowUpStep.Decide)}";
        // READ COMMITTED for the claim: under REPEATABLE READ the UPDATE would lock every row and gap it scans, and
        // deadlock with the reports inserting new rows and the other loop claiming.
        var clock = await Lease.ClockAsync(connection, null, ct);
        await using var command = Sql.Command(connection, null, $"""
            SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
            UPDATE ota_follow_up SET claimed_by = @token, lease_until = {Lease.Until}
            WHERE state = {Pending} AND {stepFilter} AND next_attempt_at <= @now AND {Lease.Free()}
            ORDER BY next_attempt_at, id LIMIT {limit.ToString(CultureInfo.InvariantCulture)};
            SELECT id FROM ota_follow_up WHERE claimed_by = @token AND state = {Pending} ORDER BY id;
            """, ("@token", token), clock, Lease.Length(lease), ("@now", now));
        // A claim is a short statement: it gets MySqlConnector's usual timeout, not the bulk paths' none.
        command.CommandTimeout = 30;
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return (token, ids);
    }

    /// <summary>An attempt failed: try again later, or give up after the last attempt.</summary>
    public static async Task RecordFailureAsync(MySqlConnection connection, long id, int attempts, string error, DateTime now,
        FollowUpSettings settings, CancellationToken ct)
    {
        var giveUp = attempts >= settings.MaxAttempts;
        await using var command = new MySqlCommand($"""
            UPDATE ota_follow_up SET attempts = @attempts, last_error = @error, claimed_by = NULL, lease_until = NULL,
                state = IF(@giveUp, {Sql.Text(FollowUpState.Failed)}, state), next_attempt_at = @next, done_at = IF(@giveUp, @now, NULL)
            WHERE id = @id;
            UPDATE ota_notification n JOIN ota_follow_up f ON f.notification_id = n.id
            SET n.attempts = @attempts, n.last_error = @error, n.delivery_status = IF(@giveUp, @deliveryFailed, @deliveryPending)
            WHERE f.id = @id;
            """, connection);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@attempts", attempts);
        command.Parameters.AddWithValue("@error", Shorten(error));
        command.Parameters.AddWithValue("@giveUp", giveUp);
        command.Parameters.AddWithValue("@next", now + settings.DelayAfter(attempts));
        command.Parameters.AddWithValue("@now", now);
        command.Parameters.AddWithValue("@deliveryFailed", NotificationDelivery.Failed);
        command.Parameters.AddWithValue("@deliveryPending", NotificationDelivery.Pending);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static string Shorten(string text) => text.Length <= 1000 ? text : text[..1000] + "…";
}
