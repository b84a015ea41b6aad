using System.Globalization;

namespace Ota.Infrastructure.Push;

/// <summary>
/// Message ids of notices. They are derived from the task, the VIN and the attempt, so a notice sent again after an
/// instance died between the broker's acknowledgement and the database commit carries the same id, and the vehicle
/// (and the report follow-ups, which find the task by message id) see one notice, not two.
/// </summary>
public static class NoticeIds
{
    /// <summary>The upgrade notice of a task-VIN's <paramref name="attempt"/>: 0 for the push, the resend count for a resend.</summary>
    public static string Upgrade(long taskId, string vin, int attempt) => string.Create(CultureInfo.InvariantCulture, $"{taskId}-{vin}-{attempt}");

    public static string Cancel(long taskId, string vin) => string.Create(CultureInfo.InvariantCulture, $"{taskId}-{vin}-cancel");

    /// <summary>The same id as <see cref="Upgrade"/>, computed by the database from an ota_task_vin row and its attempt expression.</summary>
    internal static string UpgradeSql(string attempt) => $"CONCAT(task_id, '-', vin, '-', {attempt})";

    /// <summary>The same id as <see cref="Cancel"/>, computed from the ota_task_vin row aliased <paramref name="alias"/>.</summary>
    internal static string CancelSql(string alias) => $"CONCAT({alias}.task_id, '-', {alias}.vin, '-cancel')";
}
