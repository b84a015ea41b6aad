using System.Globalization;
using System.Text;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Events.Reports;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Persistence;

namespace Ota.Infrastructure.Vehicles;

/// <summary>
/// Stores a parsed event report (SPEC §7 reportEvent) in one transaction: claims each event id in
/// ota_vehicle_event_receipt (an id seen before is a duplicate and changes nothing), inserts the new events with one
/// multi-row statement per type (sent together), moves ota_vehicle_latest_status forward for status reports (only when newer), and
/// queues their follow-ups as ota_follow_up rows (an outbox: the actions run later, in the background, so a slow or
/// failing webhook never touches the report). Two round trips to the database besides the transaction's own.
/// </summary>
public sealed class EventReportWriter(MySqlConnectionFactory connections, FollowUpSignal followUps, TimeProvider clock)
{
    public async Task<EventReportAnswer> StoreAsync(EventReport report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rejected = report.Rejected.Select(r => new RejectedEventAnswer(r.Index, r.Code, r.Detail)).ToList();
        if (report.Events.Count == 0) return new EventReportAnswer(0, report.Duplicates.Count, rejected);

        var now = clock.GetUtcNow().UtcDateTime;
        List<ReportedEvent> fresh;
        await using (var connection = await connections.OpenAsync(ct))
        // READ COMMITTED: the INSERT … SELECT of the latest status must not lock the status rows other reports are adding.
        await using (var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct))
        {
            fresh = await ClaimAsync(connection, transaction, report, now, ct);
            if (fresh.Count > 0) await InsertAsync(connection, transaction, report.Vin, fresh, now, ct);
            await transaction.CommitAsync(ct);
        }
        if (fresh.Any(e => e.Type == VehicleEventType.UpgradeStatus)) followUps.Notify();
        return new EventReportAnswer(fresh.Count, report.Duplicates.Count + report.Events.Count - fresh.Count, rejected);
    }

    /// <summary>
    /// One INSERT IGNORE per event, each followed by SELECT ROW_COUNT(), all in one round trip: the count says whether
    /// this report claimed the id. A concurrent report with the same id waits on the row lock and then finds it taken.
    /// </summary>
    private static async Task<List<ReportedEvent>> ClaimAsync(MySqlConnection connection, MySqlTransaction transaction,
        EventReport report, DateTime now, CancellationToken ct)
    {
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        var sql = new StringBuilder();
        command.Parameters.AddWithValue("@v", report.Vin);
        command.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < report.Events.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append($"INSERT IGNORE INTO ota_vehicle_event_receipt (event_id, vin, type, received_at) VALUES (@e{n}, @v, @t{n}, @now); SELECT ROW_COUNT();\n");
            command.Parameters.AddWithValue("@e" + n, report.Events[i].EventId);
            command.Parameters.AddWithValue("@t" + n, report.Events[i].Type.ToString());
        }
        command.CommandText = sql.ToString();
        var fresh = new List<ReportedEvent>(report.Events.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        for (var i = 0; i < report.Events.Count; i++)
        {
            if (i > 0 && !await reader.NextResultAsync(ct)) throw new InvalidOperationException("A receipt's row count is missing.");
            if (await reader.ReadAsync(ct) && reader.GetInt64(0) > 0) fresh.Add(report.Events[i]);
        }
        return fresh;
    }

    private static async Task InsertAsync(MySqlConnection connection, MySqlTransaction transaction, string vin,
        List<ReportedEvent> events, DateTime now, CancellationToken ct)
    {
        await using var batch = new MySqlBatch(connection, transaction);
        Add<ReportedDownloadProgress>(batch, events, vin, now, "ota_vehicle_download_progress",
            "package_id, ecu_code, bytes_downloaded, total_bytes",
            e => [e.PackageId, e.EcuCode, e.BytesDownloaded, e.TotalBytes]);
        Add<ReportedUpgradeProgress>(batch, events, vin, now, "ota_vehicle_upgrade_progress",
            "ecu_code, step, percent",
            e => [e.EcuCode, e.Step, e.Percent]);
        Add<ReportedUpgradeCommand>(batch, events, vin, now, "ota_vehicle_upgrade_command",
            "command, scheduled_for",
            e => [e.Command.ToString(), e.ScheduledFor?.UtcDateTime]);
        Add<ReportedEepromClear>(batch, events, vin, now, "ota_vehicle_eeprom_clear",
            "ecu_code, result, data, sha256",
            e => [e.EcuCode, e.Result, e.Data, e.Sha256]);
        var statuses = Add<ReportedUpgradeStatus>(batch, events, vin, now, "ota_vehicle_upgrade_status",
            "state, trigger_type, error_type, inner_error_code, version",
            e => [e.State.ToString(), e.TriggerType.ToString(), e.ErrorType?.ToString(), e.InnerErrorCode, e.Version]);
        if (statuses.Count > 0) AddStatusFollowUps(batch, statuses, now);
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static List<T> Add<T>(MySqlBatch batch, List<ReportedEvent> events, string vin, DateTime now, string table,
        string columns, Func<T, object?[]> values) where T : ReportedEvent
    {
        var ofType = events.OfType<T>().ToList();
        if (ofType.Count == 0) return ofType;
        var command = new MySqlBatchCommand();
        var sql = new StringBuilder($"INSERT INTO {table} (event_id, vin, task_id, message_id, occurred_at, received_at, {columns}) VALUES ");
        command.Parameters.AddWithValue("@vin", vin);
        command.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < ofType.Count; i++)
        {
            var e = ofType[i];
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "(" : ",(");
            sql.Append($"@e{n}, @vin, @t{n}, @m{n}, @o{n}, @now");
            command.Parameters.AddWithValue("@e" + n, e.EventId);
            command.Parameters.AddWithValue("@t" + n, e.TaskId);
            command.Parameters.AddWithValue("@m" + n, e.MessageId);
            command.Parameters.AddWithValue("@o" + n, e.OccurredAt.UtcDateTime);
            var specific = values(e);
            for (var k = 0; k < specific.Length; k++)
            {
                var name = $"@x{n}_{k.ToString(CultureInfo.InvariantCulture)}";
                sql.Append(", ").Append(name);
                command.Parameters.AddWithValue(name, specific[k]);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        batch.BatchCommands.Add(command);
        return ofType;
    }

    /// <summary>
    /// The latest status moves only forward in time (ties by row id), so a late report of an older state cannot undo a
    /// newer one. Its task is the reported one, else the task whose notice carried the message id. The columns are
    /// assigned last-compared-last: each IF sees status_id and reported_at as they were before this row.
    /// </summary>
    private static void AddStatusFollowUps(MySqlBatch batch, List<ReportedUpgradeStatus> statuses, DateTime now)
    {
        var ids = string.Join(", ", statuses.Select((_, i) => "@s" + i.ToString(CultureInfo.InvariantCulture)));
        // Target columns are qualified: the SELECT's table has columns of the same names.
        const string L = "ota_vehicle_latest_status";
        const string Newer = $"(VALUES(reported_at) > {L}.reported_at OR (VALUES(reported_at) = {L}.reported_at AND VALUES(status_id) > {L}.status_id))";
        var latest = new MySqlBatchCommand($"""
            INSERT INTO ota_vehicle_latest_status (vin, status_id, task_id, state, trigger_type, error_type, reported_at)
            SELECT s.vin, s.id,
                   COALESCE(s.task_id, (SELECT n.task_id FROM ota_vehicle_download_notice n
                                        WHERE n.message_id = s.message_id AND n.vin = s.vin ORDER BY n.id DESC LIMIT 1)),
                   s.state, s.trigger_type, s.error_type, s.occurred_at
            FROM ota_vehicle_upgrade_status s WHERE s.event_id IN ({ids}) ORDER BY s.occurred_at, s.id
            ON DUPLICATE KEY UPDATE
                {L}.task_id = IF({Newer}, VALUES(task_id), {L}.task_id),
                {L}.state = IF({Newer}, VALUES(state), {L}.state),
                {L}.trigger_type = IF({Newer}, VALUES(trigger_type), {L}.trigger_type),
                {L}.error_type = IF({Newer}, VALUES(error_type), {L}.error_type),
                {L}.status_id = IF({Newer}, VALUES(status_id), {L}.status_id),
                {L}.reported_at = IF(VALUES(reported_at) > {L}.reported_at, VALUES(reported_at), {L}.reported_at)
            """);
        var outbox = new MySqlBatchCommand($"""
            INSERT INTO ota_follow_up (status_id, vin, task_id, step, state, attempts, next_attempt_at, created_at)
            SELECT s.id, s.vin, s.task_id, 'Decide', 'Pending', 0, @now, @now
            FROM ota_vehicle_upgrade_status s WHERE s.event_id IN ({ids}) ORDER BY s.id
            """);
        outbox.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < statuses.Count; i++)
        {
            latest.Parameters.AddWithValue("@s" + i.ToString(CultureInfo.InvariantCulture), statuses[i].EventId);
            outbox.Parameters.AddWithValue("@s" + i.ToString(CultureInfo.InvariantCulture), statuses[i].EventId);
        }
        batch.BatchCommands.Add(latest);
        batch.BatchCommands.Add(outbox);
    }
}
