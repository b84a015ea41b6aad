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
