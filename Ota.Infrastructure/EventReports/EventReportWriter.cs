using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Events.Reports;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Platform.Batching;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.EventReports;

/// <summary>
/// Stores parsed event reports (SPEC §7 reportEvent). Reports that arrive together share one transaction
/// (<see cref="RequestBatcher{TItem,TResult}"/>; a batch that fails is tried report by report): one round trip begins it,
/// inserts the events' receipts, the events with one multi-row statement per type, moves ota_vehicle_latest_status forward
/// for status reports (only when newer), queues their follow-ups as ota_follow_up rows (an outbox: the actions run later,
/// in the background, so a slow or failing webhook never touches the report) and commits. An event id received before
/// makes the receipt insert fail on its key: the transaction is rolled back and the batch is written again the careful
/// way, looking up the ids already received first (a duplicate changes nothing). A concurrent report of the same event id
/// fails the careful way's insert the same way; it is then run again, and finds the id taken.
/// </summary>
public sealed partial class EventReportWriter : IAsyncDisposable
{
    private readonly StatelessMySqlConnections _connections;
    private readonly FollowUpSignal _followUps;
    private readonly TimeProvider _clock;
    private readonly ILogger<EventReportWriter> _logger;
    private readonly OtaMetrics _metrics;
    private readonly RequestBatcher<EventReport, EventReportAnswer> _batcher;

    public EventReportWriter(StatelessMySqlConnections connections, FollowUpSignal followUps, TimeProvider clock,
        IOptions<VehicleApiOptions> options, OtaMetrics metrics, ILogger<EventReportWriter> logger)
    {
        _metrics = metrics;
        _connections = connections;
        _followUps = followUps;
        _clock = clock;
        _logger = logger;
        _batcher = new RequestBatcher<EventReport, EventReportAnswer>(StoreBatchAsync, options.Value.ReportBatchSize,
            options.Value.ReportWriters, "event reports", logger);
    }

    public async Task<EventReportAnswer> StoreAsync(EventReport report, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Events.Count == 0) return Answer(report, 0);
        return await _batcher.SubmitAsync(report, ct);
    }

    private static EventReportAnswer Answer(EventReport report, int stored) =>
        new(stored, report.Duplicates.Count + report.Events.Count - stored,
            report.Rejected.Select(r => new RejectedEventAnswer(r.Index, r.Code, r.Detail)).ToList());

    private async Task<IReadOnlyList<EventReportAnswer>> StoreBatchAsync(IReadOnlyList<EventReport> reports, CancellationToken ct)
    {
        var fresh = await DeadlockRetry.RunAsync(() => WriteAsync(reports, ct),
            alsoRetry: e => e.ErrorCode == MySqlErrorCode.DuplicateKeyEntry);
        if (fresh.Any(f => f.Any(e => e.Type == VehicleEventType.UpgradeStatus))) _followUps.Notify();
        foreach (var type in fresh.SelectMany(f => f).CountBy(e => e.Type)) _metrics.EventsStored(type.Key.ToString(), type.Value);
        return reports.Select((r, i) => Answer(r, fresh[i].Count)).ToArray();
    }

    /// <summary>The new events of each report, stored.</summary>
    private async Task<List<ReportedEvent>[]> WriteAsync(IReadOnlyList<EventReport> reports, CancellationToken ct)
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        await using var connection = await _connections.OpenAsync(ct);
        // Almost every event arrives once: first assume none was received before, and write the batch in one round trip.
        var (fresh, rows) = Fresh(reports, new HashSet<string>(StringComparer.Ordinal));
        try
        {
            await InsertAsync(connection, null, reports, rows, now, ct);
            return fresh;
        }
        catch (Exception e)
        {
            await RollBackAsync(connection, e);
            if (e is not MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry }) throw;
        }

        // READ COMMITTED: the INSERT … SELECT of the latest status must not lock the status rows other reports are adding.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        (fresh, rows) = Fresh(reports, await ReceivedAsync(connection, transaction, reports, ct));
        if (rows.Count > 0) await InsertAsync(connection, transaction, reports, rows, now, ct);
        await transaction.CommitAsync(ct);
        return fresh;
    }

    /// <summary>Each report's events whose ids are not <paramref name="taken"/> (nor repeated earlier in the batch).</summary>
    private static (List<ReportedEvent>[] Fresh, List<(int Report, ReportedEvent Event)> Rows) Fresh(IReadOnlyList<EventReport> reports,
        HashSet<string> taken)
    {
        var fresh = new List<ReportedEvent>[reports.Count];
        var rows = new List<(int Report, ReportedEvent Event)>();
        for (var r = 0; r < reports.Count; r++)
        {
            fresh[r] = [];
            foreach (var e in reports[r].Events)
                if (taken.Add(e.EventId))
                {
                    fresh[r].Add(e);
                    rows.Add((r, e));
                }
        }
        return (fresh, rows);
    }

    /// <summary>
    /// Ends the transaction that a failed one-round-trip write left open. These pooled connections are not reset when
    /// reused, so a connection that cannot say ROLLBACK must not be reused at all: the pool is cleared.
    /// </summary>
    private async Task RollBackAsync(MySqlConnection connection, Exception failure)
    {
        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is MySqlException or InvalidOperationException or IOException)
        {
            LogRollbackFailed(_logger, failure.Message, e);
            await MySqlConnection.ClearPoolAsync(connection);
        }
    }

    /// <summary>The event ids of these reports that were received before.</summary>
    private static async Task<HashSet<string>> ReceivedAsync(MySqlConnection connection, MySqlTransaction transaction,
        IReadOnlyList<EventReport> reports, CancellationToken ct)
    {
        await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
        var names = new List<string>();
        foreach (var e in reports.SelectMany(r => r.Events))
        {
            var name = "@e" + names.Count.ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            command.Parameters.AddWithValue(name, e.EventId);
        }
        command.CommandText = $"SELECT event_id FROM ota_vehicle_event_receipt WHERE event_id IN ({string.Join(", ", names)})";
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) taken.Add(reader.GetString(0));
        return taken;
    }

    /// <summary>
    /// Inserts the rows in one round trip. Without a <paramref name="transaction"/> the statements begin and commit one of
    /// their own; when one fails, the rest do not run and the transaction is left open for the caller to roll back.
    /// </summary>
    private static async Task InsertAsync(MySqlConnection connection, MySqlTransaction? transaction, IReadOnlyList<EventReport> reports,
        List<(int Report, ReportedEvent Event)> rows, DateTime now, CancellationToken ct)
    {
        await using var batch = new MySqlBatch(connection, transaction);
        if (transaction is null)
        {
            // READ COMMITTED, as in the careful way below; SET TRANSACTION applies to the next transaction only.
            batch.BatchCommands.Add(new MySqlBatchCommand("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"));
            batch.BatchCommands.Add(new MySqlBatchCommand("START TRANSACTION"));
        }
        var receipts = new MySqlBatchCommand();
        var sql = new StringBuilder("INSERT INTO ota_vehicle_event_receipt (event_id, vin, type, received_at) VALUES ");
        AddReportVins(receipts, reports);
        receipts.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < rows.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"(@e{n}, @vin{rows[i].Report}, @t{n}, @now)");
            receipts.Parameters.AddWithValue("@e" + n, rows[i].Event.EventId);
            receipts.Parameters.AddWithValue("@t" + n, rows[i].Event.Type.ToString());
        }
        receipts.CommandText = sql.ToString();
        batch.BatchCommands.Add(receipts);

        Add<ReportedDownloadProgress>(batch, reports, rows, now, "ota_vehicle_download_progress",
            "package_id, ecu_code, bytes_downloaded, total_bytes",
            e => [e.PackageId, e.EcuCode, e.BytesDownloaded, e.TotalBytes]);
        Add<ReportedUpgradeProgress>(batch, reports, rows, now, "ota_vehicle_upgrade_progress",
            "ecu_code, step, percent",
            e => [e.EcuCode, e.Step, e.Percent]);
        Add<ReportedUpgradeCommand>(batch, reports, rows, now, "ota_vehicle_upgrade_command",
            "command, scheduled_for",
            e => [e.Command.ToString(), e.ScheduledFor?.UtcDateTime]);
        Add<ReportedEepromClear>(batch, reports, rows, now, "ota_vehicle_eeprom_clear",
            "ecu_code, result, data, sha256",
            e => [e.EcuCode, e.Result, e.Data, e.Sha256]);
        var statuses = Add<ReportedUpgradeStatus>(batch, reports, rows, now, "ota_vehicle_upgrade_status",
            "state, trigger_type, error_type, inner_error_code, version",
            e => [e.State.ToString(), e.TriggerType.ToString(), e.ErrorType?.ToString(), e.InnerErrorCode, e.Version]);
        if (statuses.Count > 0) AddStatusFollowUps(batch, statuses, now);
        if (transaction is null) batch.BatchCommands.Add(new MySqlBatchCommand("COMMIT"));
        await batch.ExecuteNonQueryAsync(ct);
    }

    private static void AddReportVins(MySqlBatchCommand command, IReadOnlyList<EventReport> reports)
    {
        for (var r = 0; r < reports.Count; r++) command.Parameters.AddWithValue("@vin" + r.ToString(CultureInfo.InvariantCulture), reports[r].Vin);
    }

    private static List<T> Add<T>(MySqlBatch batch, IReadOnlyList<EventReport> reports, List<(int Report, ReportedEvent Event)> rows,
        DateTime now, string table, string columns, Func<T, object?[]> values) where T : ReportedEvent
    {
        var ofType = rows.Where(r => r.Event is T).Select(r => (r.Report, Event: (T)r.Event)).ToList();
        if (ofType.Count == 0) return [];
        var command = new MySqlBatchCommand();
        var sql = new StringBuilder($"INSERT INTO {table} (event_id, vin, task_id, message_id, occurred_at, received_at, {columns}) VALUES ");
        AddReportVins(command, reports);
        command.Parameters.AddWithValue("@now", now);
        for (var i = 0; i < ofType.Count; i++)
        {
            var (report, e) = ofType[i];
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "(" : ",(");
            sql.Append(CultureInfo.InvariantCulture, $"@e{n}, @vin{report}, @t{n}, @m{n}, @o{n}, @now");
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
        return ofType.Select(x => x.Event).ToList();
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
            SELECT s.id, s.vin, s.task_id, {Sql.Text(FollowUpStep.Decide)}, {Sql.Text(FollowUpState.Pending)}, 0, @now, @now
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

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not roll back a failed event-report write ({Failure}); its connection pool is cleared")]
    private static partial void LogRollbackFailed(ILogger logger, string failure, Exception exception);
}
