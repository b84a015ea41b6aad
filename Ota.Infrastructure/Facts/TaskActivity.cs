using Microsoft.Extensions.Logging;
using MySqlConnector;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Facts;

/// <summary>
/// The one home of the activity rollup (ota_task_activity_minute): counters per task and minute bumped where a task-VIN
/// moves (the push records its notices; the follow-up decision moves a VIN to Succeeded or Failed; the rollout's sweep to
/// TimedOut), and the charts' reads of it, so a chart costs a range read of a few hundred rows instead of a scan of the
/// event tables. A bump is one autocommit upsert after the work it counts has committed, so it holds its row lock for that
/// statement only; it is best effort: a failed bump is logged and the work it counts stands.
/// </summary>
public static partial class TaskActivity
{
    private const string Upsert = """
        INSERT INTO ota_task_activity_minute (task_id, minute, notices, succeeded, failed) VALUES (@task, @minute, @notices, @succeeded, @failed)
        ON DUPLICATE KEY UPDATE notices = notices + VALUES(notices), succeeded = succeeded + VALUES(succeeded), failed = failed + VALUES(failed)
        """;

    /// <summary>The minute a moment falls in.</summary>
    public static DateTime MinuteOf(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    /// <summary>Counts notices sent, VINs succeeded and VINs failed (or timed out) for a task at <paramref name="at"/>; a failure is logged.</summary>
    public static async Task AddAsync(MySqlConnection connection, long taskId, DateTime at, int notices, int succeeded, int failed, ILogger logger)
    {
        if (notices + succeeded + failed == 0) return;
        try
        {
            await Sql.ExecAsync(connection, null, Upsert, CancellationToken.None, ("@task", taskId), ("@minute", MinuteOf(at)), ("@notices", notices),
                ("@succeeded", succeeded), ("@failed", failed));
        }
        catch (MySqlException e)
        {
            LogNotCounted(logger, taskId, notices, succeeded, failed, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Task {TaskId}: {Notices} notices, {Succeeded} successes and {Failed} failures are missing from the activity chart: {Failure}")]
    private static partial void LogNotCounted(ILogger logger, long taskId, int notices, int succeeded, int failed, string failure);

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
