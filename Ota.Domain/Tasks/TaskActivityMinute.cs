namespace Ota.Domain.Tasks;

/// <summary>
/// One minute (UTC) of one task's activity (ota_task_activity_minute), kept as it happens rather than counted from the
/// event tables: upgrade notices sent, and final status reports received (successes and failures; a timed-out VIN counts as a failure).
/// </summary>
public class TaskActivityMinute
{
    public long TaskId { get; set; }
    public DateTime Minute { get; set; }
    public int Notices { get; set; }
    public int Succeeded { get; set; }
    public int Failed { get; set; }
}

/// <summary>A task's (or every task's) activity in one minute or hour from <see cref="Start"/> (UTC): upgrade notices sent, VINs come to success, VINs come to failure or timed out.</summary>
public sealed record ActivityBucket(DateTime Start, long Notices, long Succeeded, long Failed);
