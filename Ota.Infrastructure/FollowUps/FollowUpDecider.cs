using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Events.FollowUps;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Configurations;
using StackExchange.Redis;
using DomainMobilePush = Ota.Domain.Events.FollowUps.MobilePush;
using DomainWorkOrder = Ota.Domain.Events.FollowUps.WorkOrder;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// Turns stored UpgradeStatus reports (their Decide rows) into the actions of SPEC §7 items 1–8, a batch at a time:
/// the facts of the whole batch are read in two set-based queries, <see cref="FollowUpDecision"/> decides each report,
/// and everything the database can do itself (work orders, task-VIN flags, firmware versions, the messages to send as
/// notification-centre rows) is written with the decisions in one transaction. What leaves the process (webhooks, log
/// service, message service, mobile push, the Redis stream) becomes a Pending row that <see cref="FollowUpDelivery"/>
/// carries out and retries; the stream entries are tried at once after the commit.
/// </summary>
public sealed partial class FollowUpDecider(
    IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, CatalogCache catalog, IDatabase redis, UpgradeStatusStream stream,
    IOptions<FollowUpSettings> settings, IOptions<CompensationOptions> compensation, IOptions<OtaOptions> ota, TimeProvider clock,
    ILogger<FollowUpDecider> logger)
{
    public const string ChannelOperationsAssistant = "OperationsAssistant";
    public const string ChannelWorkOrderGroup = "WorkOrderGroup";
    public const string ChannelFactoryGroup = "FactoryGroup";
    public const string ChannelMessage = "Message";
    public const string ChannelMobilePush = "MobilePush";
    public const string ChannelLogService = "LogService";

    private sealed record Report(
        long FollowUpId, long StatusId, string Vin, string EventId, long? ReportedTaskId, string? MessageId, DateTime OccurredAt,
        UpgradeState State, TriggerType Trigger, ErrorType? Error, string? InnerErrorCode, string? Version,
        FollowUpVehicleFact Vehicle, long? NoticeTaskId, long? NewestNotifiedTaskId, bool History);

    private sealed record TaskVinRow(long TaskId, string Vin, TaskType Type, TaskSource Source, long SeriesModelId, string TargetVersion, int ResendCount,
        TaskVinState State);

    /// <summary>Decides one batch of due reports; returns how many were claimed (0: nothing due).</summary>
    public async Task<int> DecideDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        string token;
        List<long> ids;
        await using (var connection = await connections.OpenAsync(ct))
            (token, ids) = await DeadlockRetry.RunAsync(() => FollowUpClaims.ClaimAsync(connection, ota.Value.InstanceName, decide: true,
                settings.Value.DecideBatchSize, now, settings.Value.Lease, ct));
        if (ids.Count == 0) return 0;

        try
        {
            // A deadlock rolls the whole batch back; the rows are still ours, so deciding again is safe.
            await DeadlockRetry.RunAsync(() => DecideAsync(token, ids, ct));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One bad report must not hold up the others: decide them one by one, recording each failure on its own row.
            LogBatchFailed(logger, ids.Count, e);
            foreach (var id in ids)
            {
                try
                {
                    await DecideAsync(token, [id], ct);
                }
                catch (Exception single) when (single is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogReportFailed(logger, id, single);
                    await using var connection = await connections.OpenAsync(ct);
                    var attempts = await AttemptsAsync(connection, id, ct) + 1;
                    await FollowUpClaims.RecordFailureAsync(connection, id, attempts, single.Message, clock.GetUtcNow().UtcDateTime, settings.Value, ct);
                }
            }
        }
        return ids.Count;
    }

    private async Task DecideAsync(string token, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var options = settings.Value.ToDecisionOptions();
        var snapshot = await catalog.GetAsync(ct);
        List<Report> reports;
        Dictionary<(long, string), TaskVinRow> taskVins;
        Dictionary<string, VehicleFacts> eligibilityFacts = [];
        await using (var connection = await connections.OpenAsync(ct))
        {
            reports = await ReadReportsAsync(connection, ids, options, ct);
            taskVins = await ReadTaskVinsAsync(connection, reports, ct);
            var resendVins = new List<string>();
            foreach (var report in reports)
                if (options.CompensationEnabled && report.Error is ErrorType.DownloadFailed or ErrorType.PrepareUpgradeFailed)
                    resendVins.Add(report.Vin);
            if (resendVins.Count > 0) eligibilityFacts = await ReadVehicleFactsAsync(connection, resendVins.Distinct().ToList(), snapshot, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var streamRows = new List<(FollowUp Row, UpgradeStatusStreamEntry Entry)>();
        var stateChanges = new List<TaskVinStateChange>(reports.Count);
        await using (var db = await contexts.CreateDbContextAsync(ct))
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var owned = (await db.Set<FollowUp>().Where(f => ids.Contains(f.Id) && f.ClaimedBy == token).Select(f => f.Id).ToListAsync(ct)).ToHashSet();
            var decided = new List<DecidedRow>(owned.Count);
            foreach (var report in reports)
            {
                // A row whose lease ran out and that another instance took is that instance's now.
                if (!owned.Contains(report.FollowUpId)) continue;
                var task = ResolveTask(report, taskVins);
                var facts = new FollowUpFacts(report.Vin,
                    new UpgradeStatusFact(new DateTimeOffset(report.OccurredAt, TimeSpan.Zero), report.State, report.Trigger, report.Error,
                        report.InnerErrorCode, report.Version),
                    report.Vehicle,
                    task is null ? null : new FollowUpTaskFact(task.TaskId, task.Type, task.TargetVersion, task.ResendCount),
                    compensation.Value.MaxResendCount,
                    report.History);
                var actions = FollowUpDecision.Decide(facts, options);
                var names = new List<string>(actions.Count);
                foreach (var action in actions)
                {
                    names.Add(action.Kind.ToString());
                    var row = await CarryOutAsync(db, action, report, task, snapshot, eligibilityFacts, now, ct);
                    db.Set<FollowUp>().Add(row);
                    if (action is PublishToStream) streamRows.Add((row, StreamEntry(report, task)));
                }
                if (task is not null && TaskVinLifecycle.AfterReport(report.State, report.Error is not null) is { } state)
                    stateChanges.Add(new TaskVinStateChange(task.TaskId, report.Vin, report.StatusId, state.ToString()));
                decided.Add(new DecidedRow(report.FollowUpId, task?.TaskId ?? report.ReportedTaskId,
                    actions.Count == 0 ? "No action applies." : $"{actions.Count} action(s): {string.Join(", ", names)}."));
            }
            await UpdateTaskVinStatesAsync(db, stateChanges, now, ct);
            await db.SaveChangesAsync(ct);
            await MarkDecidedAsync(db, token, decided, now, ct);
            await transaction.CommitAsync(ct);
        }

        await CountActivityAsync(stateChanges, taskVins, now);
        if (streamRows.Count > 0) await PublishAsync(streamRows, ct);
    }

    /// <summary>
    /// Does the database part of one action and returns its row: Done (or Skipped) when nothing is left to do, Pending with
    /// a notification-centre entry when something must still be delivered.
    /// </summary>
    private async Task<FollowUp> CarryOutAsync(OtaDbContext db, FollowUpAction action, Report report, TaskVinRow? task,
        CatalogSnapshot snapshot, Dictionary<string, VehicleFacts> eligibilityFacts, DateTime now, CancellationToken ct)
    {
        var row = new FollowUp
        {
            StatusId = report.StatusId, Vin = report.Vin, TaskId = task?.TaskId, State = FollowUpState.Pending,
            NextAttemptAt = now, CreatedAt = now,
        };
        Notification Message(string channel, string title, string text)
        {
            var message = new Notification
            {
                Channel = channel, Title = title, Text = text, Vin = report.Vin, TaskId = task?.TaskId,
                DeliveryStatus = NotificationDelivery.Pending, CreatedAt = now,
            };
            db.Notifications.Add(message);
            return message;
        }
        void Finish(FollowUpState state, string detail)
        {
            row.State = state;
            row.Detail = detail;
            row.DoneAt = now;
        }

        switch (action)
        {
            case OperationsAssistantMessage m:
                row.Step = FollowUpStep.OperationsAssistantMessage;
                row.Notification = Message(ChannelOperationsAssistant, "Upgrade failure", m.Text);
                row.Detail = "Message to the OTA operations assistant queued.";
                break;
            case DomainWorkOrder w:
                row.Step = FollowUpStep.WorkOrder;
                row.WorkOrder = new Ota.Domain.Operations.WorkOrder
                {
                    Vin = report.Vin, TaskId = task?.TaskId, ErrorType = w.ErrorType, InnerErrorCode = report.InnerErrorCode,
                    Title = w.Title, Status = "Open", CreatedAt = now,
                };
                db.WorkOrders.Add(row.WorkOrder);
                row.Notification = Message(ChannelWorkOrderGroup, w.Title, w.GroupMessage);
                row.Detail = "Work order opened; message to the upgrade-failure work-order group queued.";
                break;
            case LogReadBack l:
                row.Step = FollowUpStep.LogReadBack;
                row.Payload = JsonSerializer.Serialize(new LogWindow(l.From, l.To));
                row.Notification = Message(ChannelLogService, "Log read-back request",
                    $"Read back the logs of VIN {report.Vin} from {l.From:u} to {l.To:u}: {report.Error} reported at {report.OccurredAt:u}.");
                row.Detail = "Log read-back request queued.";
                break;
            case FlagForResend f:
                row.Step = FollowUpStep.FlagForResend;
                var verdict = ResendVerdict(report, task, snapshot, eligibilityFacts);
                if (verdict.Length > 0)
                {
                    Finish(FollowUpState.Skipped, $"Not flagged for a resend of task {f.TaskId}: the vehicle is not eligible now ({verdict}).");
                    break;
                }
                var flagged = await db.TaskVins.Where(t => t.TaskId == f.TaskId && t.Vin == report.Vin && !t.IsDelete)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.IsResend, true).SetProperty(t => t.UpdatedAt, now), ct);
                Finish(flagged > 0 ? FollowUpState.Done : FollowUpState.Skipped, flagged > 0
                    ? $"Task {f.TaskId}: flagged for a resend by the compensation job (resent {task?.ResendCount ?? 0} of {compensation.Value.MaxResendCount} times so far)."
                    : $"Task {f.TaskId} no longer holds this VIN; nothing to resend.");
                break;
            case CannotCompensate c:
                row.Step = FollowUpStep.CannotCompensate;
                row.Notification = Message(ChannelMessage, "Cannot compensate", c.Text);
                row.Detail = $"Task {c.TaskId}: the resend limit ({c.MaxResendCount}) is reached; message queued.";
                break;
            case RecordErrorTypeOnTaskVin r:
                row.Step = FollowUpStep.RecordErrorTypeOnTaskVin;
                var recorded = await db.TaskVins.Where(t => t.TaskId == r.TaskId && t.Vin == report.Vin)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.ErrorType, r.ErrorType).SetProperty(t => t.UpdatedAt, now), ct);
                Finish(recorded > 0 ? FollowUpState.Done : FollowUpState.Skipped,
                    recorded > 0 ? $"Error type {r.ErrorType} recorded on the VIN of task {r.TaskId}." : $"Task {r.TaskId} does not hold this VIN.");
                break;
            case DomainMobilePush p:
                row.Step = FollowUpStep.MobilePush;
                row.Payload = JsonSerializer.Serialize(new PushPayload(p.PushKind.ToString()));
                row.Notification = Message(ChannelMobilePush, PushTitle(p.PushKind), p.Text);
                row.Detail = $"{p.PushKind} notice to the owner's phone queued.";
                break;
            case FirmwareVersionUpdate v:
                row.Step = FollowUpStep.FirmwareVersionUpdate;
                var updated = await db.Vehicles.Where(x => x.Vin == report.Vin)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.FirmwareVersion, v.Version).SetProperty(x => x.UpdatedAt, now), ct);
                Finish(updated > 0 ? FollowUpState.Done : FollowUpState.Skipped, updated > 0
                    ? $"Firmware version {report.Vehicle.FirmwareVersion} → {v.Version}."
                    : "The vehicle is not in the registry.");
                break;
            case PublishToStream:
                row.Step = FollowUpStep.PublishToStream;
                row.Payload = StreamEntry(report, task).ToJson();
                row.Detail = $"Entry for the stream {settings.Value.StreamKey} queued.";
                break;
            case FactoryGroupMessage g:
                row.Step = FollowUpStep.FactoryGroupMessage;
                row.Notification = Message(ChannelFactoryGroup, "Sampling task report", g.Text);
                row.Detail = "Message to the factory OTA group queued.";
                break;
            default:
                throw new InvalidOperationException($"No way to carry out follow-up {action.Kind}.");
        }
        return row;
    }

    /// <summary>Item 4 validates the VIN now (SPEC §3 vehicle phase) before flagging it; empty when it passes.</summary>
    private static string ResendVerdict(Report report, TaskVinRow? task, CatalogSnapshot snapshot, Dictionary<string, VehicleFacts> facts)
    {
        if (task is null) return "no task";
        if (!snapshot.SeriesModels.TryGetValue(task.SeriesModelId, out var seriesModel)) return "the task's series-model is gone";
        var definition = new TaskDefinition(task.Type, task.Source, seriesModel.Id, seriesModel.Code, seriesModel.Platform, task.TargetVersion);
        var rejection = VehicleEligibility.Evaluate(definition, facts.GetValueOrDefault(report.Vin));
        return string.Join(", ", rejection.Codes());
    }

    private sealed record TaskVinStateChange(long TaskId, string Vin, long StatusId, string State);

    /// <summary>
    /// Keeps the task-VINs' states in step with their vehicles' newest reports (so a task's funnel reads from one place),
    /// the whole batch in one statement: a report that is no longer its vehicle's newest changes nothing, and VINs taken
    /// off the task stay as they are. The rows are locked in (task, VIN) order, the same whatever the batch.
    /// </summary>
    private static async Task UpdateTaskVinStatesAsync(OtaDbContext db, List<TaskVinStateChange> changes, DateTime now, CancellationToken ct)
    {
        if (changes.Count == 0) return;
        var json = JsonSerializer.Serialize(changes.OrderBy(c => c.TaskId).ThenBy(c => c.Vin, StringComparer.Ordinal)
            .Select(c => new object[] { c.TaskId, c.Vin, c.StatusId, c.State }));
        await db.Database.ExecuteSqlRawAsync(UpdateTaskVinStatesSql, [new MySqlParameter("@changes", json), new MySqlParameter("@now", now)], ct);
    }

    /// <summary>
    /// The charts' rollup, after the decisions committed: the task-VINs this batch moved from a state a report may change
    /// into Succeeded or Failed, per task (a repeated report of the same outcome moves nothing and is not counted again).
    /// </summary>
    private async Task CountActivityAsync(List<TaskVinStateChange> changes, Dictionary<(long, string), TaskVinRow> before, DateTime now)
    {
        var movable = TaskVinLifecycle.From(TaskVinChange.Report);
        var moved = changes
            .Where(c => before.TryGetValue((c.TaskId, c.Vin), out var row) && movable.Contains(row.State) && row.State.ToString() != c.State)
            .Select(c => (c.TaskId, State: Enum.Parse<TaskVinState>(c.State)))
            .Where(c => TaskVinLifecycle.CountedFinished.Contains(c.State))
            .GroupBy(c => c.TaskId).ToList();
        if (moved.Count == 0) return;
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        foreach (var task in moved)
            await TaskActivity.AddAsync(connection, task.Key, now, 0, task.Count(c => c.State == TaskVinState.Succeeded),
                task.Count(c => c.State != TaskVinState.Succeeded), logger);
    }

    private static readonly string UpdateTaskVinStatesSql = $"""
        UPDATE JSON_TABLE(@changes, '$[*]' COLUMNS (task_id BIGINT PATH '$[0]', vin {VinColumn.SqlType} PATH '$[1]',
                   status_id BIGINT PATH '$[2]', state VARCHAR(16) PATH '$[3]')) c
        STRAIGHT_JOIN ota_task_vin tv ON tv.task_id = c.task_id AND tv.vin = c.vin
        JOIN ota_vehicle_latest_status ls ON ls.vin = tv.vin AND ls.status_id = c.status_id
        SET tv.state = c.state, tv.updated_at = @now
        WHERE tv.is_delete = 0 AND tv.state IN {Sql.List(TaskVinLifecycle.From(TaskVinChange.Report))}
        """;

    private sealed record DecidedRow(long Id, long? TaskId, string Detail);

    /// <summary>The batch's Decide rows are done: one statement for all of them, in id order, still only while they are ours.</summary>
    private static async Task MarkDecidedAsync(OtaDbContext db, string token, List<DecidedRow> decided, DateTime now, CancellationToken ct)
    {
        if (decided.Count == 0) return;
        var json = JsonSerializer.Serialize(decided.OrderBy(d => d.Id).Select(d => new object?[] { d.Id, d.TaskId, d.Detail }));
        await db.Database.ExecuteSqlRawAsync(MarkDecidedSql,
            [new MySqlParameter("@decided", json), new MySqlParameter("@token", token), new MySqlParameter("@now", now)], ct);
    }

    private static readonly string MarkDecidedSql = $"""
        UPDATE JSON_TABLE(@decided, '$[*]' COLUMNS (id BIGINT PATH '$[0]', task_id BIGINT PATH '$[1]',
                   detail VARCHAR(1024) CHARACTER SET utf8mb4 PATH '$[2]')) d
        STRAIGHT_JOIN ota_follow_up f ON f.id = d.id
        SET f.task_id = d.task_id, f.state = {Sql.Text(FollowUpState.Done)}, f.attempts = f.attempts + 1, f.detail = d.detail, f.done_at = @now,
            f.claimed_by = NULL, f.lease_until = NULL
        WHERE f.claimed_by = @token
        """;

    /// <summary>The task through the notice's message id, else the task the vehicle named, else its newest notified task-VIN.</summary>
    private static TaskVinRow? ResolveTask(Report report, Dictionary<(long, string), TaskVinRow> taskVins)
    {
        foreach (var id in new[] { report.NoticeTaskId, report.ReportedTaskId, report.NewestNotifiedTaskId })
            if (id is { } taskId && taskVins.TryGetValue((taskId, report.Vin), out var row)) return row;
        return null;
    }

    private async Task PublishAsync(List<(FollowUp Row, UpgradeStatusStreamEntry Entry)> rows, CancellationToken ct)
    {
        var published = new List<long>();
        try
        {
            var batch = redis.CreateBatch();
            var sends = rows.Select(r => stream.PublishAsync(r.Entry, batch)).ToList();
            batch.Execute();
            for (var i = 0; i < sends.Count; i++)
            {
                try
                {
                    await sends[i].WaitAsync(ct);
                    published.Add(rows[i].Row.Id);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Left Pending: the delivery loop publishes it when Redis is back.
                    LogStreamDeferred(logger, e.Message);
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogStreamDeferred(logger, e.Message);
        }
        if (published.Count == 0) return;
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand(
            $"UPDATE ota_follow_up SET state = {Sql.Text(FollowUpState.Done)}, attempts = attempts + 1, done_at = @now, detail = @detail WHERE id IN ({string.Join(", ", published)})",
            connection);
        command.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
        command.Parameters.AddWithValue("@detail", $"Published to the stream {settings.Value.StreamKey}.");
        await command.ExecuteNonQueryAsync(ct);
    }

    private static UpgradeStatusStreamEntry StreamEntry(Report report, TaskVinRow? task) => new(
        report.Vin, report.EventId, report.StatusId, task?.TaskId ?? report.ReportedTaskId, report.MessageId, report.State.ToString(),
        report.Trigger.ToString(), report.Error?.ToString(), report.InnerErrorCode, report.Version, report.OccurredAt);

    private static string PushTitle(Domain.Events.FollowUps.MobilePushKind kind) => kind switch
    {
        Domain.Events.FollowUps.MobilePushKind.Success => "Software update complete",
        Domain.Events.FollowUps.MobilePushKind.PreconditionsNotMet => "Software update could not start",
        _ => "Software update failed",
    };

    private static async Task<List<Report>> ReadReportsAsync(MySqlConnection connection, IReadOnlyList<long> ids, FollowUpOptions options, CancellationToken ct)
    {
        var history = options.LogReplayErrorTypes.Count == 0
            ? "FALSE"
            : $"EXISTS (SELECT 1 FROM ota_vehicle_upgrade_status h WHERE h.vin = s.vin AND h.error_type IN {Sql.List(options.LogReplayErrorTypes)})";
        await using var command = new MySqlCommand($"""
            SELECT f.id, s.id, s.vin, s.event_id, s.task_id, s.message_id, s.occurred_at, s.state, s.trigger_type, s.error_type,
                   s.inner_error_code, s.version, v.id IS NOT NULL, COALESCE(v.sold, 0), COALESCE(v.activated, 0),
                   COALESCE(v.passenger_car, 0), COALESCE(v.firmware_version, ''),
                   (SELECT n.task_id FROM ota_vehicle_download_notice n
                    WHERE s.message_id IS NOT NULL AND n.message_id = s.message_id AND n.vin = s.vin ORDER BY n.id DESC LIMIT 1),
                   (SELECT tv.task_id FROM ota_task_vin tv
                    WHERE tv.vin = s.vin AND tv.notified_at IS NOT NULL AND tv.is_delete = 0 ORDER BY tv.notified_at DESC, tv.task_id DESC LIMIT 1),
                   {history}
            FROM ota_follow_up f
            JOIN ota_vehicle_upgrade_status s ON s.id = f.status_id
            LEFT JOIN ota_vehicle v ON v.vin = s.vin
            WHERE f.id IN ({string.Join(", ", ids)})
            ORDER BY s.occurred_at, s.id
            """, connection);
        var reports = new List<Report>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            reports.Add(new Report(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc),
                Enum.Parse<UpgradeState>(reader.GetString(7)), Enum.Parse<TriggerType>(reader.GetString(8)),
                reader.IsDBNull(9) ? null : Enum.Parse<ErrorType>(reader.GetString(9)),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                new FollowUpVehicleFact(reader.GetBoolean(13), reader.GetBoolean(14), reader.GetBoolean(15), reader.GetString(16)),
                reader.IsDBNull(17) ? null : reader.GetInt64(17), reader.IsDBNull(18) ? null : reader.GetInt64(18),
                reader.GetBoolean(19)));
        }
        return reports;
    }

    private static async Task<Dictionary<(long, string), TaskVinRow>> ReadTaskVinsAsync(MySqlConnection connection, List<Report> reports, CancellationToken ct)
    {
        var pairs = reports
            .SelectMany(r => new[] { r.NoticeTaskId, r.ReportedTaskId, r.NewestNotifiedTaskId }.OfType<long>().Select(t => (Task: t, r.Vin)))
            .Distinct().ToList();
        var rows = new Dictionary<(long, string), TaskVinRow>();
        if (pairs.Count == 0) return rows;
        await using var command = new MySqlCommand { Connection = connection };
        var tuples = new List<string>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            tuples.Add($"(@t{n}, @v{n})");
            command.Parameters.AddWithValue("@t" + n, pairs[i].Task);
            command.Parameters.AddWithValue("@v" + n, pairs[i].Vin);
        }
        command.CommandText = $"""
            SELECT tv.task_id, tv.vin, t.type, t.source, t.series_model_id, t.target_version, tv.resend_count, tv.state
            FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id
            WHERE (tv.task_id, tv.vin) IN ({string.Join(", ", tuples)})
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new TaskVinRow(reader.GetInt64(0), reader.GetString(1), Enum.Parse<TaskType>(reader.GetString(2)),
                Enum.Parse<TaskSource>(reader.GetString(3)), reader.GetInt64(4), reader.GetString(5), reader.GetInt32(6),
                Enum.Parse<TaskVinState>(reader.GetString(7)));
            rows[(row.TaskId, row.Vin)] = row;
        }
        return rows;
    }

    private static async Task<Dictionary<string, VehicleFacts>> ReadVehicleFactsAsync(MySqlConnection connection, List<string> vins,
        CatalogSnapshot snapshot, CancellationToken ct)
    {
        var parameters = vins.Select((v, i) => new MySqlParameter("@v" + i.ToString(CultureInfo.InvariantCulture), v)).ToList();
        var source = string.Join(" UNION ALL ", parameters.Select(p => $"SELECT {p.ParameterName} AS vin"));
        var facts = new Dictionary<string, VehicleFacts>();
        await foreach (var (vin, vehicle) in VehicleFactsReader.ReadAsync(connection, null, source, parameters, snapshot.ConfigWordSeriesModels, ct))
            facts[vin] = vehicle;
        return facts;
    }

    private static async Task<int> AttemptsAsync(MySqlConnection connection, long id, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT attempts FROM ota_follow_up WHERE id = @id", connection);
        command.Parameters.AddWithValue("@id", id);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deciding a batch of {Count} status reports failed; deciding them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deciding the follow-ups of report row {Id} failed; it will be retried")]
    private static partial void LogReportFailed(ILogger logger, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing to the upgrade-status stream is deferred: {Error}")]
    private static partial void LogStreamDeferred(ILogger logger, string error);
}

/// <summary>The log window of a <see cref="FollowUpStep.LogReadBack"/> row.</summary>
internal sealed record LogWindow(DateTimeOffset From, DateTimeOffset To);

/// <summary>The push kind of a <see cref="FollowUpStep.MobilePush"/> row.</summary>
internal sealed record PushPayload(string Kind);
