using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Rollouts;

/// <summary>A task's task-VINs counted by rollout group and state, from the (task, state, group) index alone.</summary>
public sealed class RolloutCounts
{
    private readonly Dictionary<(int Group, TaskVinState State), long> _counts = [];

    public static async Task<RolloutCounts> ReadAsync(MySqlConnection connection, long taskId, CancellationToken ct)
    {
        var counts = new RolloutCounts();
        await using var command = Sql.Command(connection, null,
            // Grouped in the index's order (task_id, state, rollout_group): no temporary table, a third of the time on a million VINs.
            "SELECT rollout_group, state, COUNT(*) FROM ota_task_vin WHERE task_id = @task GROUP BY state, rollout_group", ("@task", taskId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            counts._counts[(reader.GetInt32(0), Enum.Parse<TaskVinState>(reader.GetString(1)))] = reader.GetInt64(2);
        return counts;
    }

    /// <summary>The task's VINs by state, every state named (0 when none).</summary>
    public IReadOnlyDictionary<string, long> ByState(int? group = null) =>
        Enum.GetValues<TaskVinState>().ToDictionary(s => s.ToString(),
            s => _counts.Where(c => c.Key.State == s && (group is null || c.Key.Group == group)).Sum(c => c.Value));

    public long Of(IEnumerable<TaskVinState> states, int? group = null)
    {
        var set = states.ToHashSet();
        return _counts.Where(c => set.Contains(c.Key.State) && (group is null || c.Key.Group == group)).Sum(c => c.Value);
    }

    /// <summary>What the gates judge a group by: its VINs not withdrawn from the task, the succeeded, the failed or timed out.</summary>
    public GroupCounts Group(int group) => new(
        _counts.Where(c => c.Key.Group == group && !TaskVinLifecycle.Withdrawn.Contains(c.Key.State)).Sum(c => c.Value),
        Of([TaskVinState.Succeeded], group),
        Of(TaskVinLifecycle.CountedFailed, group));
}
