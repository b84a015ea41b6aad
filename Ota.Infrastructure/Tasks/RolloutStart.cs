using System.Globalization;
using System.Text;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Bulk;

namespace Ota.Infrastructure.Tasks;

/// <summary>
/// Puts a task's rollout plan into effect when it is published (SPEC §12): every live task-VIN gets its group (named
/// VINs where the plan puts them, the others by <see cref="RolloutAssignment"/>, in one statement), the groups are
/// recorded with their sizes, and the first one opens.
/// </summary>
public sealed class RolloutStart(MySqlConnectionFactory connections)
{
    private static readonly BulkColumn<(string Vin, string Group)>[] PilotColumns =
    [
        new("vin", typeof(string), r => r.Vin),
        new("text", typeof(string), r => r.Group),
    ];

    /// <summary>The plan's named VINs that are not live VINs of the task (ROLLOUT_VIN_NOT_IN_TASK when any).</summary>
    public async Task<IReadOnlyList<string>> PilotsNotInTaskAsync(long taskId, RolloutPlan plan, CancellationToken ct)
    {
        var pilots = Pilots(plan);
        if (pilots.Count == 0) return [];
        await using var connection = await connections.OpenAsync(ct);
        await LoadPilotsAsync(connection, pilots, ct);
        var missing = new List<string>();
        await using var command = Sql.Command(connection, null,
            """
            SELECT p.vin FROM tmp_rollout_pilots p
            LEFT JOIN ota_task_vin tv ON tv.task_id = @task AND tv.vin = p.vin AND tv.is_delete = 0
            WHERE tv.vin IS NULL ORDER BY p.vin
            """, ("@task", taskId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) missing.Add(reader.GetString(0));
        return missing;
    }

    /// <summary>Assigns the groups, records them and opens the first at <paramref name="openAt"/>. Running it again gives the same groups.</summary>
    public async Task StartAsync(long taskId, RolloutPlan plan, DateTime openAt, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        var pilots = Pilots(plan);
        if (pilots.Count > 0) await LoadPilotsAsync(connection, pilots, ct);
        var bounds = plan.BucketBounds;
        // RolloutAssignment.GroupOf in SQL: the first group whose bound is above the VIN's bucket.
        var cases = new StringBuilder(bounds.Count == 1 ? "0" : "CASE");
        for (var i = 0; i < bounds.Count - 1; i++) cases.Append(CultureInfo.InvariantCulture, $" WHEN CRC32(CONCAT(task_id, ':', vin)) % {RolloutAssignment.Buckets} < {bounds[i]} THEN {i}");
        if (bounds.Count > 1) cases.Append(CultureInfo.InvariantCulture, $" ELSE {bounds.Count - 1} END");
        await Sql.InTransactionAsync(connection, async tx =>
        {
            await Sql.ExecAsync(connection, tx, $"UPDATE ota_task_vin SET rollout_group = {cases} WHERE task_id = @task", ct, ("@task", taskId));
            if (pilots.Count > 0)
                await Sql.ExecAsync(connection, tx,
                    "UPDATE ota_task_vin tv JOIN tmp_rollout_pilots p ON p.vin = tv.vin SET tv.rollout_group = CAST(p.text AS UNSIGNED) WHERE tv.task_id = @task",
                    ct, ("@task", taskId));
            var sizes = new long[plan.Groups.Count];
            await using (var command = Sql.Command(connection, tx,
                "SELECT rollout_group, COUNT(*) FROM ota_task_vin WHERE task_id = @task AND is_delete = 0 GROUP BY rollout_group", ("@task", taskId)))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) sizes[reader.GetInt32(0)] = reader.GetInt64(1);
            }
            await Sql.ExecAsync(connection, tx, "DELETE FROM ota_task_rollout WHERE task_id = @task", ct, ("@task", taskId));
            await Sql.ExecAsync(connection, tx,
                """
                INSERT INTO ota_task_rollout (task_id, plan, opened_groups, notices_per_minute, evaluated_at)
                VALUES (@task, @plan, 1, @rate, NULL)
                """, ct, ("@task", taskId), ("@plan", plan.ToJson()), ("@rate", plan.NoticeRate?.CurrentPerMinute(0)));
            for (var i = 0; i < plan.Groups.Count; i++)
                await Sql.ExecAsync(connection, tx,
                    """
                    INSERT INTO ota_task_rollout_group (task_id, group_index, name, size, opened_at, failed_at_resume)
                    VALUES (@task, @index, @name, @size, @opened, 0)
                    """, ct, ("@task", taskId), ("@index", i), ("@name", plan.Groups[i].Name), ("@size", sizes[i]),
                    ("@opened", i == 0 ? openAt : null));
            return 0;
        }, ct);
    }

    private static List<(string Vin, string Group)> Pilots(RolloutPlan plan) =>
        [.. plan.Groups.SelectMany((g, i) => (g.Vins ?? []).Select(v => (v, i.ToString(CultureInfo.InvariantCulture))))];

    private static async Task LoadPilotsAsync(MySqlConnector.MySqlConnection connection, List<(string Vin, string Group)> pilots, CancellationToken ct)
    {
        await Sql.CreateVinTableAsync(connection, "tmp_rollout_pilots", withText: true, ct);
        await Sql.ExecAsync(connection, null, "DELETE FROM tmp_rollout_pilots", ct);
        await BulkLoader.LoadAsync(connection, null, "tmp_rollout_pilots", pilots, PilotColumns, ct);
    }
}
