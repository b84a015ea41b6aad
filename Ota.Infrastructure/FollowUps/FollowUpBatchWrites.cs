using System.Text.Json;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// What one batch of follow-up decisions writes, gathered in memory and then written in the decider's transaction in a
/// fixed number of set-based statements, however many reports and actions the batch holds (issue 22): the work orders,
/// the notification-centre rows and the action rows one multi-row insert each (their ids come back in order), then the
/// vehicles' firmware versions, the task-VINs' error types, resend flags and states one statement each (rows locked in
/// VIN, or task and VIN, order), and the Decide rows marked done.
/// </summary>
internal sealed class FollowUpBatchWrites(DateTime now)
{
    /// <summary>One action row of <c>ota_follow_up</c>, with the notification and work order it creates.</summary>
    internal sealed class ActionRow(long statusId, string vin, long? taskId)
    {
        public long StatusId { get; } = statusId;
        public string Vin { get; } = vin;
        public long? TaskId { get; } = taskId;
        public FollowUpStep Step { get; set; }
        public FollowUpState State { get; set; } = FollowUpState.Pending;
        public string? Detail { get; set; }
        public string? Payload { get; set; }
        public NewNotification? Notification { get; set; }
        public NewWorkOrder? WorkOrder { get; set; }
        public long Id { get; set; }
    }

    internal sealed record NewNotification(string Channel, string Title, string Text, string Vin, long? TaskId, bool KeptLocally);

    internal sealed record NewWorkOrder(string Vin, long? TaskId, ErrorType ErrorType, string? InnerErrorCode, string Title);

    internal sealed record StateChange(long TaskId, string Vin, long StatusId, TaskVinState State);

    private sealed record Decided(long Id, long? TaskId, string Detail);

    private readonly Dictionary<string, string> _firmware = new(StringComparer.Ordinal);
    private readonly Dictionary<(long TaskId, string Vin), ErrorType> _errorTypes = [];
    private readonly HashSet<(long TaskId, string Vin)> _resends = [];
    private readonly List<Decided> _decided = [];

    public List<ActionRow> Actions { get; } = [];

    public List<StateChange> StateChanges { get; } = [];

    /// <summary>A later report of the same vehicle in the batch overrides an earlier one's version (reports are decided in time order).</summary>
    public void SetFirmware(string vin, string version) => _firmware[vin] = version;

    public void RecordErrorType(long taskId, string vin, ErrorType errorType) => _errorTypes[(taskId, vin)] = errorType;

    public void FlagForResend(long taskId, string vin) => _resends.Add((taskId, vin));

    public void MarkDecided(long followUpId, long? taskId, string detail) => _decided.Add(new Decided(followUpId, taskId, detail));

    public async Task WriteAsync(MySqlConnection connection, MySqlTransaction tx, string token, CancellationToken ct)
    {
        await InsertActionsAsync(connection, tx, ct);
        if (_firmware.Count > 0)
            await UpdateAsync(connection, tx, FirmwareSql, _firmware.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new object[] { f.Key, f.Value }), ct);
        if (_errorTypes.Count > 0)
            await UpdateAsync(connection, tx, ErrorTypesSql, Ordered(_errorTypes.Keys).Select(k => new object[] { k.TaskId, k.Vin, _errorTypes[k].ToString() }), ct);
        if (_resends.Count > 0)
            await UpdateAsync(connection, tx, ResendSql, Ordered(_resends).Select(k => new object[] { k.TaskId, k.Vin }), ct);
        if (StateChanges.Count > 0)
            await UpdateAsync(connection, tx, StatesSql, StateChanges.OrderBy(c => c.TaskId).ThenBy(c => c.Vin, StringComparer.Ordinal)
                .Select(c => new object[] { c.TaskId, c.Vin, c.StatusId, c.State.ToString() }), ct);
        if (_decided.Count > 0)
            await UpdateAsync(connection, tx, DecidedSql, _decided.OrderBy(d => d.Id).Select(d => new object?[] { d.Id, d.TaskId, d.Detail }), ct,
                ("@token", token));
    }

    private static IEnumerable<(long TaskId, string Vin)> Ordered(IEnumerable<(long TaskId, string Vin)> keys) =>
        keys.OrderBy(k => k.TaskId).ThenBy(k => k.Vin, StringComparer.Ordinal);

    private async Task InsertActionsAsync(MySqlConnection connection, MySqlTransaction tx, CancellationToken ct)
    {
        if (Actions.Count == 0) return;
        var withOrder = Actions.Where(a => a.WorkOrder is not null).ToList();
        var orderIds = await Sql.InsertReturningIdsAsync(connection, tx, "ota_work_order",
            ["vin", "task_id", "error_type", "inner_error_code", "title", "status", "created_at"],
            withOrder.Select(a => a.WorkOrder!).Select(w => new object?[] { w.Vin, w.TaskId, w.ErrorType.ToString(), w.InnerErrorCode, w.Title, "Open", now }).ToList(), ct);
        var withMessage = Actions.Where(a => a.Notification is not null).ToList();
        var messageIds = await Sql.InsertReturningIdsAsync(connection, tx, "ota_notification",
            ["channel", "title", "text", "vin", "task_id", "delivery_status", "attempts", "created_at", "is_read"],
            withMessage.Select(a => a.Notification!).Select(n => new object?[]
            {
                n.Channel, n.Title, n.Text, n.Vin, n.TaskId, n.KeptLocally ? NotificationDelivery.Local : NotificationDelivery.Pending, 0, now, false,
            }).ToList(), ct);
        var orderOf = withOrder.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => orderIds[x.i]);
        var messageOf = withMessage.Select((a, i) => (a, i)).ToDictionary(x => x.a, x => messageIds[x.i]);
        var ids = await Sql.InsertReturningIdsAsync(connection, tx, "ota_follow_up",
            ["status_id", "vin", "task_id", "step", "state", "detail", "payload", "notification_id", "work_order_id", "attempts", "next_attempt_at", "created_at", "done_at"],
            Actions.Select(a => new object?[]
            {
                a.StatusId, a.Vin, a.TaskId, a.Step.ToString(), a.State.ToString(), a.Detail, a.Payload,
                messageOf.TryGetValue(a, out var m) ? m : null, orderOf.TryGetValue(a, out var o) ? o : null,
                0, now, now, a.State == FollowUpState.Pending ? null : now,
            }).ToList(), ct);
        for (var i = 0; i < Actions.Count; i++) Actions[i].Id = ids[i];
    }

    private async Task UpdateAsync(MySqlConnection connection, MySqlTransaction tx, string sql, IEnumerable<object?[]> rows, CancellationToken ct,
        params (string Name, object? Value)[] extra) =>
        await Sql.ExecAsync(connection, tx, sql, ct, [("@rows", JsonSerializer.Serialize(rows)), ("@now", now), .. extra]);

    private static readonly string FirmwareSql = $"""
        UPDATE JSON_TABLE(@rows, '$[*]' COLUMNS (vin {VinColumn.SqlType} PATH '$[0]', version VARCHAR(64) PATH '$[1]')) j
        STRAIGHT_JOIN ota_vehicle v ON v.vin = j.vin
        SET v.firmware_version = j.version, v.updated_at = @now
        """;

    private static readonly string ErrorTypesSql = $"""
        UPDATE JSON_TABLE(@rows, '$[*]' COLUMNS (task_id BIGINT PATH '$[0]', vin {VinColumn.SqlType} PATH '$[1]', error_type VARCHAR(32) PATH '$[2]')) j
        STRAIGHT_JOIN ota_task_vin tv ON tv.task_id = j.task_id AND tv.vin = j.vin
        SET tv.error_type = j.error_type, tv.updated_at = @now
        """;

    private static readonly string ResendSql = $"""
        UPDATE JSON_TABLE(@rows, '$[*]' COLUMNS (task_id BIGINT PATH '$[0]', vin {VinColumn.SqlType} PATH '$[1]')) j
        STRAIGHT_JOIN ota_task_vin tv ON tv.task_id = j.task_id AND tv.vin = j.vin
        SET tv.is_resend = 1, tv.updated_at = @now
        WHERE tv.is_delete = 0
        """;

    /// <summary>
    /// Keeps the task-VINs' states in step with their vehicles' newest reports (so a task's funnel reads from one place):
    /// a report that is no longer its vehicle's newest changes nothing, and VINs taken off the task stay as they are.
    /// </summary>
    private static readonly string StatesSql = $"""
        UPDATE JSON_TABLE(@rows, '$[*]' COLUMNS (task_id BIGINT PATH '$[0]', vin {VinColumn.SqlType} PATH '$[1]',
                   status_id BIGINT PATH '$[2]', state VARCHAR(16) PATH '$[3]')) c
        STRAIGHT_JOIN ota_task_vin tv ON tv.task_id = c.task_id AND tv.vin = c.vin
        JOIN ota_vehicle_latest_status ls ON ls.vin = tv.vin AND ls.status_id = c.status_id
        SET tv.state = c.state, tv.updated_at = @now
        WHERE tv.is_delete = 0 AND tv.state IN {Sql.List(TaskVinLifecycle.From(TaskVinChange.Report))}
        """;

    /// <summary>The batch's Decide rows are done, still only while they are ours.</summary>
    private static readonly string DecidedSql = $"""
        UPDATE JSON_TABLE(@rows, '$[*]' COLUMNS (id BIGINT PATH '$[0]', task_id BIGINT PATH '$[1]',
                   detail VARCHAR(1024) CHARACTER SET utf8mb4 PATH '$[2]')) d
        STRAIGHT_JOIN ota_follow_up f ON f.id = d.id
        SET f.task_id = d.task_id, f.state = {Sql.Text(FollowUpState.Done)}, f.attempts = f.attempts + 1, f.detail = d.detail, f.done_at = @now,
            f.claimed_by = NULL, f.lease_until = NULL
        WHERE f.claimed_by = @token
        """;
}
