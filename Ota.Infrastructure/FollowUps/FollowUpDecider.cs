using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Events.FollowUps;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Telemetry;
using StackExchange.Redis;
using DomainMobilePush = Ota.Domain.Events.FollowUps.MobilePush;
using DomainWorkOrder = Ota.Domain.Events.FollowUps.WorkOrder;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// Turns stored UpgradeStatus reports (their Decide rows) into the actions of SPEC §7 items 1–8, a batch at a time:
/// the facts of the whole batch are read in a few set-based queries, <see cref="FollowUpDecision"/> decides each report,
/// and everything the database can do itself (work orders, task-VIN flags and states, firmware versions, the messages to
/// send as notification-centre rows) is written with the decisions in one transaction of a fixed number of statements
/// (<see cref="FollowUpBatchWrites"/>). What leaves the process (webhooks, log service, message service, mobile push,
/// the Redis stream) becomes a Pending row that <see cref="FollowUpDelivery"/> carries out and retries; a message whose
/// channel has no endpoint is kept in the notification centre at once, and the stream entries are published in one
/// pipeline after the commit.
/// </summary>
public sealed partial class FollowUpDecider(
    MySqlConnectionFactory connections, CatalogCache catalog, IDatabase redis, UpgradeStatusStream stream, FollowUpDelivery delivery,
    IOptions<FollowUpSettings> settings, IOptions<CompensationOptions> compensation, IOptions<OtaOptions> ota, TimeProvider clock,
    OtaMetrics metrics, ILogger<FollowUpDecider> logger)
{
    public const string ChannelOperationsAssistant = "OperationsAssistant";
    public const string ChannelWorkOrderGroup = "WorkOrderGroup";
    public const string ChannelFactoryGroup = "FactoryGroup";
    public const string ChannelMessage = "Message";
    public const string ChannelMobilePush = "MobilePush";
    public const string ChannelLogService = "LogService";

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
        var now = clock.GetUtcNow().UtcDateTime;
        var writes = new FollowUpBatchWrites(now);
        var streamRows = new List<(FollowUpBatchWrites.ActionRow Row, UpgradeStatusStreamEntry Entry)>();
        Dictionary<(long, string), FollowUpTaskVin> taskVins;
        await using (var connection = await connections.OpenAsync(ct))
        {
            var reports = await FollowUpReads.ReportsAsync(connection, ids, options, ct);
            taskVins = await FollowUpReads.TaskVinsAsync(connection, reports, ct);
            var resendVins = options.CompensationEnabled
                ? reports.Where(r => r.Error is ErrorType.DownloadFailed or ErrorType.PrepareUpgradeFailed).Select(r => r.Vin).Distinct().ToList()
                : [];
            var eligibilityFacts = resendVins.Count > 0 ? await FollowUpReads.VehicleFactsAsync(connection, resendVins, snapshot, ct) : [];

            // Read committed: the locks below are on rows, not on the gaps around pairs a task does not hold.
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            // The batch's Decide rows, locked: a row whose lease ran out and that another instance took is that instance's
            // now, and one still ours cannot be taken until this transaction ends (so no report is decided twice).
            var owned = (await Sql.IdsAsync(connection, tx,
                $"SELECT id FROM ota_follow_up WHERE id IN ({string.Join(", ", ids)}) AND claimed_by = @token ORDER BY id FOR UPDATE", ct,
                ("@token", token))).ToHashSet();
            // Then the task-VINs the reports may change, in (task, VIN) order: what the outcomes say (flagged, recorded) is
            // what the writes will find, and every write of the batch to them comes after this one lock round.
            await FollowUpReads.LockTaskVinsAsync(connection, tx, taskVins, ct);
            foreach (var report in reports)
            {
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
                foreach (var action in actions)
                {
                    var row = Plan(writes, action, report, task, taskVins, snapshot, eligibilityFacts);
                    writes.Actions.Add(row);
                    if (action is PublishToStream) streamRows.Add((row, StreamEntry(report, task)));
                }
                if (task is not null && TaskVinLifecycle.AfterReport(report.State, report.Error is not null) is { } state)
                    writes.StateChanges.Add(new FollowUpBatchWrites.StateChange(task.TaskId, report.Vin, report.StatusId, state));
                writes.MarkDecided(report.FollowUpId, task?.TaskId ?? report.ReportedTaskId,
                    actions.Count == 0 ? "No action applies." : $"{actions.Count} action(s): {string.Join(", ", actions.Select(a => a.Kind))}.");
            }
            await writes.WriteAsync(connection, tx, token, ct);
            await tx.CommitAsync(ct);
            var decidedAt = clock.GetUtcNow().UtcDateTime;
            foreach (var report in reports) metrics.FollowUpDecided(decidedAt - report.ReceivedAt);
        }

        await CountActivityAsync(writes.StateChanges, taskVins, now);
        if (streamRows.Count > 0) await PublishAsync(streamRows, ct);
    }

    /// <summary>
    /// Plans the database part of one action and returns its row: Done (or Skipped) when nothing is left to do, Pending
    /// with a notification-centre entry when something must still be delivered, Done at once when the message's channel
    /// has no endpoint and the entry is only kept in the notification centre.
    /// </summary>
    private FollowUpBatchWrites.ActionRow Plan(FollowUpBatchWrites writes, FollowUpAction action, FollowUpReport report, FollowUpTaskVin? task,
        Dictionary<(long, string), FollowUpTaskVin> taskVins, CatalogSnapshot snapshot, Dictionary<string, VehicleFacts> eligibilityFacts)
    {
        var row = new FollowUpBatchWrites.ActionRow(report.StatusId, report.Vin, task?.TaskId);
        void Message(string channel, string title, string text, string detail)
        {
            var local = delivery.KeepsLocally(row.Step);
            row.Notification = new FollowUpBatchWrites.NewNotification(channel, title, text, report.Vin, task?.TaskId, local);
            row.Detail = local ? detail + FollowUpDelivery.KeptLocallyDetail : detail;
            if (local) row.State = FollowUpState.Done;
        }
        void Finish(FollowUpState state, string detail)
        {
            row.State = state;
            row.Detail = detail;
        }
        // Whether the task still holds the VIN (as locked at the start of the batch's transaction).
        FollowUpTaskVin? Held(long taskId) => taskVins.GetValueOrDefault((taskId, report.Vin));

        switch (action)
        {
            case OperationsAssistantMessage m:
                row.Step = FollowUpStep.OperationsAssistantMessage;
                Message(ChannelOperationsAssistant, "Upgrade failure", m.Text, "Message to the OTA operations assistant queued.");
                break;
            case DomainWorkOrder w:
                row.Step = FollowUpStep.WorkOrder;
                row.WorkOrder = new FollowUpBatchWrites.NewWorkOrder(report.Vin, task?.TaskId, w.ErrorType, report.InnerErrorCode, w.Title);
                Message(ChannelWorkOrderGroup, w.Title, w.GroupMessage, "Work order opened; message to the upgrade-failure work-order group queued.");
                break;
            case LogReadBack l:
                row.Step = FollowUpStep.LogReadBack;
                row.Payload = JsonSerializer.Serialize(new LogWindow(l.From, l.To));
                Message(ChannelLogService, "Log read-back request",
                    $"Read back the logs of VIN {report.Vin} from {l.From:u} to {l.To:u}: {report.Error} reported at {report.OccurredAt:u}.",
                    "Log read-back request queued.");
                break;
            case FlagForResend f:
                row.Step = FollowUpStep.FlagForResend;
                var verdict = ResendVerdict(report, task, snapshot, eligibilityFacts);
                if (verdict.Length > 0)
                {
                    Finish(FollowUpState.Skipped, $"Not flagged for a resend of task {f.TaskId}: the vehicle is not eligible now ({verdict}).");
                    break;
                }
                var flagged = Held(f.TaskId) is { IsDeleted: false };
                if (flagged) writes.FlagForResend(f.TaskId, report.Vin);
                Finish(flagged ? FollowUpState.Done : FollowUpState.Skipped, flagged
                    ? $"Task {f.TaskId}: flagged for a resend by the compensation job (resent {task?.ResendCount ?? 0} of {compensation.Value.MaxResendCount} times so far)."
                    : $"Task {f.TaskId} no longer holds this VIN; nothing to resend.");
                break;
            case CannotCompensate c:
                row.Step = FollowUpStep.CannotCompensate;
                Message(ChannelMessage, "Cannot compensate", c.Text, $"Task {c.TaskId}: the resend limit ({c.MaxResendCount}) is reached; message queued.");
                break;
            case RecordErrorTypeOnTaskVin r:
                row.Step = FollowUpStep.RecordErrorTypeOnTaskVin;
                var recorded = Held(r.TaskId) is not null;
                if (recorded) writes.RecordErrorType(r.TaskId, report.Vin, r.ErrorType);
                Finish(recorded ? FollowUpState.Done : FollowUpState.Skipped,
                    recorded ? $"Error type {r.ErrorType} recorded on the VIN of task {r.TaskId}." : $"Task {r.TaskId} does not hold this VIN.");
                break;
            case DomainMobilePush p:
                row.Step = FollowUpStep.MobilePush;
                row.Payload = JsonSerializer.Serialize(new PushPayload(p.PushKind.ToString()));
                Message(ChannelMobilePush, PushTitle(p.PushKind), p.Text, $"{p.PushKind} notice to the owner's phone queued.");
                break;
            case FirmwareVersionUpdate v:
                row.Step = FollowUpStep.FirmwareVersionUpdate;
                if (report.Registered) writes.SetFirmware(report.Vin, v.Version);
                Finish(report.Registered ? FollowUpState.Done : FollowUpState.Skipped, report.Registered
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
                Message(ChannelFactoryGroup, "Sampling task report", g.Text, "Message to the factory OTA group queued.");
                break;
            default:
                throw new InvalidOperationException($"No way to carry out follow-up {action.Kind}.");
        }
        return row;
    }

    /// <summary>Item 4 validates the VIN now (SPEC §3 vehicle phase) before flagging it; empty when it passes.</summary>
    private static string ResendVerdict(FollowUpReport report, FollowUpTaskVin? task, CatalogSnapshot snapshot, Dictionary<string, VehicleFacts> facts)
    {
        if (task is null) return "no task";
        if (!snapshot.SeriesModels.TryGetValue(task.SeriesModelId, out var seriesModel)) return "the task's series-model is gone";
        var definition = new TaskDefinition(task.Type, task.Source, seriesModel.Id, seriesModel.Code, seriesModel.Platform, task.TargetVersion);
        var rejection = VehicleEligibility.Evaluate(definition, facts.GetValueOrDefault(report.Vin));
        return string.Join(", ", rejection.Codes());
    }

    /// <summary>
    /// The charts' rollup, after the decisions committed: the task-VINs this batch moved from a state a report may change
    /// into Succeeded or Failed, per task (a repeated report of the same outcome moves nothing and is not counted again).
    /// </summary>
    private async Task CountActivityAsync(List<FollowUpBatchWrites.StateChange> changes, Dictionary<(long, string), FollowUpTaskVin> before, DateTime now)
    {
        var movable = TaskVinLifecycle.From(TaskVinChange.Report);
        // Of several reports of one task-VIN in the batch only the last (they are decided in time order) sets its state.
        var moved = changes
            .GroupBy(c => (c.TaskId, c.Vin)).Select(g => g.Last())
            .Where(c => before.TryGetValue((c.TaskId, c.Vin), out var row) && movable.Contains(row.State) && row.State != c.State)
            .Where(c => TaskVinLifecycle.CountedFinished.Contains(c.State))
            .GroupBy(c => c.TaskId).ToList();
        if (moved.Count == 0) return;
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        foreach (var task in moved)
            await TaskActivity.AddAsync(connection, task.Key, now, 0, task.Count(c => c.State == TaskVinState.Succeeded),
                task.Count(c => c.State != TaskVinState.Succeeded), logger);
    }

    /// <summary>The task through the notice's message id, else the task the vehicle named, else its newest notified task-VIN.</summary>
    private static FollowUpTaskVin? ResolveTask(FollowUpReport report, Dictionary<(long, string), FollowUpTaskVin> taskVins)
    {
        foreach (var id in new[] { report.NoticeTaskId, report.ReportedTaskId, report.NewestNotifiedTaskId })
            if (id is { } taskId && taskVins.TryGetValue((taskId, report.Vin), out var row)) return row;
        return null;
    }

    private async Task PublishAsync(List<(FollowUpBatchWrites.ActionRow Row, UpgradeStatusStreamEntry Entry)> rows, CancellationToken ct)
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

    private static UpgradeStatusStreamEntry StreamEntry(FollowUpReport report, FollowUpTaskVin? task) => new(
        report.Vin, report.EventId, report.StatusId, task?.TaskId ?? report.ReportedTaskId, report.MessageId, report.State.ToString(),
        report.Trigger.ToString(), report.Error?.ToString(), report.InnerErrorCode, report.Version, report.OccurredAt);

    private static string PushTitle(Domain.Events.FollowUps.MobilePushKind kind) => kind switch
    {
        Domain.Events.FollowUps.MobilePushKind.Success => "Software update complete",
        Domain.Events.FollowUps.MobilePushKind.PreconditionsNotMet => "Software update could not start",
        _ => "Software update failed",
    };

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
