using System.Globalization;
using System.Text.Json;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Events.FollowUps;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.FollowUps;

/// <summary>One stored UpgradeStatus report to decide, with what the decision needs to know about its vehicle and tasks.</summary>
internal sealed record FollowUpReport(
    long FollowUpId, long StatusId, string Vin, string EventId, long? ReportedTaskId, string? MessageId, DateTime OccurredAt,
    UpgradeState State, TriggerType Trigger, ErrorType? Error, string? InnerErrorCode, string? Version,
    bool Registered, FollowUpVehicleFact Vehicle, long? NoticeTaskId, long? NewestNotifiedTaskId, bool History, DateTime ReceivedAt);

/// <summary>A task-VIN a report may belong to, with its task's definition.</summary>
internal sealed record FollowUpTaskVin(long TaskId, string Vin, TaskType Type, TaskSource Source, long SeriesModelId, string TargetVersion,
    int ResendCount, TaskVinState State, bool IsDeleted);

/// <summary>The set-based reads of a batch of decisions: the reports with their vehicles, the task-VINs they may belong to, and (for resends) the vehicles' eligibility facts.</summary>
internal static class FollowUpReads
{
    public static async Task<List<FollowUpReport>> ReportsAsync(MySqlConnection connection, IReadOnlyList<long> ids, FollowUpOptions options, CancellationToken ct)
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
                   {history}, f.created_at
            FROM ota_follow_up f
            JOIN ota_vehicle_upgrade_status s ON s.id = f.status_id
            LEFT JOIN ota_vehicle v ON v.vin = s.vin
            WHERE f.id IN ({string.Join(", ", ids)})
            ORDER BY s.occurred_at, s.id
            """, connection);
        var reports = new List<FollowUpReport>(ids.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            reports.Add(new FollowUpReport(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                DateTime.SpecifyKind(reader.GetDateTime(6), DateTimeKind.Utc),
                Enum.Parse<UpgradeState>(reader.GetString(7)), Enum.Parse<TriggerType>(reader.GetString(8)),
                reader.IsDBNull(9) ? null : Enum.Parse<ErrorType>(reader.GetString(9)),
                reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.GetBoolean(12),
                new FollowUpVehicleFact(reader.GetBoolean(13), reader.GetBoolean(14), reader.GetBoolean(15), reader.GetString(16)),
                reader.IsDBNull(17) ? null : reader.GetInt64(17), reader.IsDBNull(18) ? null : reader.GetInt64(18),
                reader.GetBoolean(19), DateTime.SpecifyKind(reader.GetDateTime(20), DateTimeKind.Utc)));
        }
        return reports;
    }

    public static async Task<Dictionary<(long, string), FollowUpTaskVin>> TaskVinsAsync(MySqlConnection connection, List<FollowUpReport> reports,
        CancellationToken ct)
    {
        var pairs = reports
            .SelectMany(r => new[] { r.NoticeTaskId, r.ReportedTaskId, r.NewestNotifiedTaskId }.OfType<long>().Select(t => (Task: t, r.Vin)))
            .Distinct().ToList();
        var rows = new Dictionary<(long, string), FollowUpTaskVin>();
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
            SELECT tv.task_id, tv.vin, t.type, t.source, t.series_model_id, t.target_version, tv.resend_count, tv.state, tv.is_delete
            FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id
            WHERE (tv.task_id, tv.vin) IN ({string.Join(", ", tuples)})
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new FollowUpTaskVin(reader.GetInt64(0), reader.GetString(1), Enum.Parse<TaskType>(reader.GetString(2)),
                Enum.Parse<TaskSource>(reader.GetString(3)), reader.GetInt64(4), reader.GetString(5), reader.GetInt32(6),
                Enum.Parse<TaskVinState>(reader.GetString(7)), reader.GetBoolean(8));
            rows[(row.TaskId, row.Vin)] = row;
        }
        return rows;
    }

    /// <summary>
    /// Locks the task-VINs read for the batch (in task, VIN order) inside its transaction and refreshes what may have
    /// changed since they were read: whether the task still holds the VIN, and its state. A pair no longer there is dropped.
    /// </summary>
    public static async Task LockTaskVinsAsync(MySqlConnection connection, MySqlTransaction tx, Dictionary<(long, string), FollowUpTaskVin> taskVins,
        CancellationToken ct)
    {
        if (taskVins.Count == 0) return;
        var pairs = JsonSerializer.Serialize(taskVins.Keys.OrderBy(k => k.Item1).ThenBy(k => k.Item2, StringComparer.Ordinal)
            .Select(k => new object[] { k.Item1, k.Item2 }));
        var found = new Dictionary<(long, string), (bool IsDeleted, TaskVinState State)>();
        await using (var command = Sql.Command(connection, tx, $"""
            SELECT tv.task_id, tv.vin, tv.is_delete, tv.state
            FROM JSON_TABLE(@pairs, '$[*]' COLUMNS (task_id BIGINT PATH '$[0]', vin {VinColumn.SqlType} PATH '$[1]')) p
            STRAIGHT_JOIN ota_task_vin tv ON tv.task_id = p.task_id AND tv.vin = p.vin
            ORDER BY tv.task_id, tv.vin
            FOR UPDATE
            """, ("@pairs", pairs)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                found[(reader.GetInt64(0), reader.GetString(1))] = (reader.GetBoolean(2), Enum.Parse<TaskVinState>(reader.GetString(3)));
        }
        foreach (var key in taskVins.Keys.ToList())
        {
            if (found.TryGetValue(key, out var held)) taskVins[key] = taskVins[key] with { IsDeleted = held.IsDeleted, State = held.State };
            else taskVins.Remove(key);
        }
    }

    public static async Task<Dictionary<string, VehicleFacts>> VehicleFactsAsync(MySqlConnection connection, List<string> vins,
        CatalogSnapshot snapshot, CancellationToken ct)
    {
        var parameters = vins.Select((v, i) => new MySqlParameter("@v" + i.ToString(CultureInfo.InvariantCulture), v)).ToList();
        var source = string.Join(" UNION ALL ", parameters.Select(p => $"SELECT {p.ParameterName} AS vin"));
        var facts = new Dictionary<string, VehicleFacts>();
        await foreach (var (vin, vehicle) in VehicleFactsReader.ReadAsync(connection, null, source, parameters, snapshot.ConfigWordSeriesModels, ct))
            facts[vin] = vehicle;
        return facts;
    }
}
