using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Tasks;

/// <summary>Upgrade notices sent, and final reports that were successes or failures, in one minute or hour (UTC).</summary>
public sealed record ActivityBucket(DateTime Start, long Notices, long Succeeded, long Failed);

/// <summary>
/// The one home of the activity rollup (ota_task_activity_minute): counters per task and minute bumped where things happen
/// (the push records its notices, the event-report writer its final reports, the rollout its timeouts), and the charts'
/// reads of it, so a chart costs a range read of a few hundred rows instead of a scan of the event tables.
/// Each bump is one autocommit upsert after the work it counts, so it holds its row lock for that statement only.
/// </summary>
public static class TaskActivity
{
    private const string Upsert = """
        INSERT INTO ota_task_activity_minute (task_id, minute, notices, succeeded, failed) VALUES (@task, @minute, @notices, @succeeded, @failed)
        ON DUPLICATE KEY UPDATE notices = notices + VALUES(notices), succeeded = succeeded + VALUES(succeeded), failed = failed + VALUES(failed)
        """;

    /// <summary>The minute a moment falls in.</summary>
    public static DateTime MinuteOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    public static Task AddAsync(MySqlConnection connection, long taskId, DateTime at, int notices, int succeeded, int failed, CancellationToken ct) =>
        notices + succeeded + failed == 0
            ? Task.CompletedTask
            : Sql.ExecAsync(connection, null, Upsert, ct, ("@task", taskId), ("@minute", MinuteOf(at)), ("@notices", notices),
                ("@succeeded", succeeded), ("@failed", failed));

    /// <summary>
    /// The statement that counts the final reports among the given upgrade-status rows (by event id) for their tasks: the
    /// reported task, else the task whose notice carried the message id, as the latest status resolves it. A report with
    /// an error or of state Failed is a failure, a Succeeded one a success (as <see cref="TaskVinLifecycle.AfterReport"/>).
    /// </summary>
    public static string CountFinalReportsSql(string eventIds) => $"""
        INSERT INTO ota_task_activity_minute (task_id, minute, notices, succeeded, failed)
        SELECT f.task_id, @activity_minute, 0, SUM(f.ok), SUM(1 - f.ok) FROM (
            SELECT COALESCE(s.task_id, (SELECT n.task_id FROM ota_vehicle_download_notice n
                                        WHERE n.message_id = s.message_id AND n.vin = s.vin ORDER BY n.id DESC LIMIT 1)) AS task_id,
                   s.error_type IS NULL AND s.state = {Sql.Text(UpgradeState.Succeeded)} AS ok
            FROM ota_vehicle_upgrade_status s
            WHERE s.event_id IN ({eventIds}) AND (s.error_type IS NOT NULL OR s.state IN {Sql.List([UpgradeState.Succeeded, UpgradeState.Failed])})
        ) f WHERE f.task_id IS NOT NULL GROUP BY f.task_id ORDER BY f.task_id
        ON DUPLICATE KEY UPDATE succeeded = succeeded + VALUES(succeeded), failed = failed + VALUES(failed)
        """;

    /// <summary>
    /// The last <paramref name="count"/> minutes (or hours) up to now, oldest first, one bucket each: of one task, or of
    /// every task when <paramref name="taskId"/> is null.
    /// </summary>
    public static async Task<IReadOnlyList<ActivityBucket>> ReadAsync(MySqlConnection connection, long? taskId, DateTime now, int count, bool hourly,
        CancellationToken ct)
    {
        var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(1);
        var end = new DateTime(now.Ticks - now.Ticks % step.Ticks, DateTimeKind.Utc) + step;
        var from = end - step * count;
        var notices = new long[count];
        var succeeded = new long[count];
        var failed = new long[count];
        var unit = hourly ? "HOUR" : "MINUTE";
        await using (var command = Sql.Command(connection, null,
            $"""
            SELECT TIMESTAMPDIFF({unit}, @from, minute) AS b, SUM(notices), SUM(succeeded), SUM(failed) FROM ota_task_activity_minute
            WHERE {(taskId is null ? "" : "task_id = @task AND ")}minute >= @from AND minute < @end GROUP BY b
            """, ("@task", taskId ?? 0), ("@from", from), ("@end", end)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var b = reader.GetInt32(0);
                notices[b] = reader.GetInt64(1);
                succeeded[b] = reader.GetInt64(2);
                failed[b] = reader.GetInt64(3);
            }
        }
        return [.. Enumerable.Range(0, count).Select(i => new ActivityBucket(from + step * i, notices[i], succeeded[i], failed[i]))];
    }
}
