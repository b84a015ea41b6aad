using System.Text.Json.Serialization;
using Microsoft.Extensions.Caching.Memory;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Rollouts;

/// <summary>A rollout group as the open API and the console show it (SPEC §12).</summary>
public sealed record RolloutGroupView(
    string Name, long Size, IReadOnlyDictionary<string, long> Counts, string State, DateTime? OpenedAt,
    double Percent, double SuccessThreshold, double? ErrorThreshold, int MinFinished, int SoakMinutes, bool Approval,
    long Succeeded, long Failed, long Finished, DateTime? ReachedAt, DateTime? ApprovedAt, string? ApprovedBy);

/// <summary>Why the task is paused.</summary>
public sealed record PauseView(string Code, string? Group, string Detail, DateTime? At, string? By);

/// <summary>A task's progress through its rollout: what <c>GET /ota/open/api/task/{id}</c> answers.</summary>
public sealed record TaskProgressView(
    long TaskId, string Name, string Type, string State, IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<RolloutGroupView> Groups, PauseView? Pause, RolloutPlan? Rollout, int? NoticesPerMinute, bool AwaitsApproval,
    string? WaitingGroup, DateTime? PublishedAt, DateTime? ScheduledAt)
{
    /// <summary>The task's status as the code knows it (the answer carries its name, as every enumeration of the API).</summary>
    [JsonIgnore]
    public UpgradeTaskStatus Status => Enum.Parse<UpgradeTaskStatus>(State);
}

/// <summary>Reads a task's progress: counts by state overall and per group, the groups' gates, the pause.</summary>
public sealed class RolloutQueries(MySqlConnectionFactory connections, IMemoryCache cache)
{
    /// <summary>How long the live pages of one task share a read: many open pages cost one round of counts a second.</summary>
    public static readonly TimeSpan SharedFor = TimeSpan.FromSeconds(1);

    /// <summary>The task's progress as read in the last second by any live page, or read now.</summary>
    public async Task<TaskProgressView?> GetSharedAsync(long taskId, CancellationToken ct = default) =>
        await cache.GetOrCreateAsync(("rollout-progress", taskId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = SharedFor;
            return GetAsync(taskId, ct);
        });

    /// <summary>Forgets the shared read of a task, after a change made from a page, so its next refresh does not show the task as it was.</summary>
    public void Forget(long taskId) => cache.Remove(("rollout-progress", taskId));

    public async Task<TaskProgressView?> GetAsync(long taskId, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        string name;
        TaskType type;
        UpgradeTaskStatus status;
        DateTime? publishedAt, scheduledAt;
        await using (var command = Sql.Command(connection, null,
            "SELECT name, type, status, published_at, scheduled_at FROM ota_task WHERE id = @task", ("@task", taskId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return null;
            name = reader.GetString(0);
            type = Enum.Parse<TaskType>(reader.GetString(1));
            status = Enum.Parse<UpgradeTaskStatus>(reader.GetString(2));
            publishedAt = reader.IsDBNull(3) ? null : reader.GetDateTime(3);
            scheduledAt = reader.IsDBNull(4) ? null : reader.GetDateTime(4);
        }

        RolloutPlan? plan = null;
        int? rate = null;
        PauseView? pause = null;
        await using (var command = Sql.Command(connection, null,
            "SELECT plan, notices_per_minute, pause_code, pause_group, pause_detail, paused_at, paused_by FROM ota_task_rollout WHERE task_id = @task",
            ("@task", taskId)))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                plan = reader.IsDBNull(0) ? null : RolloutPlan.FromJson(reader.GetString(0));
                rate = reader.IsDBNull(1) ? null : reader.GetInt32(1);
                if (status == UpgradeTaskStatus.Paused && !reader.IsDBNull(2))
                    pause = new PauseView(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? "" : reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetDateTime(5), reader.IsDBNull(6) ? null : reader.GetString(6));
            }
        }
        // A task created with a plan but not yet published shows the plan it will use.
        if (plan is null && status is UpgradeTaskStatus.Draft or UpgradeTaskStatus.Validating)
        {
            var info = TaskExtensionInfo.Parse((string?)await Sql.ScalarAsync(connection, null, "SELECT extension_info FROM ota_task WHERE id = @task", ct, ("@task", taskId)));
            plan = info.Rollout;
        }

        var counts = await RolloutCounts.ReadAsync(connection, taskId, ct);
        var groups = new List<RolloutGroupView>();
        var gates = new List<GroupGate>();
        if (plan is not null)
        {
            await using var command = Sql.Command(connection, null,
                "SELECT group_index, size, opened_at, reached_at, approved_at, approved_by, failed_at_resume FROM ota_task_rollout_group WHERE task_id = @task ORDER BY group_index",
                ("@task", taskId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new Dictionary<int, (long Size, GroupGate Gate, string? By)>();
            while (await reader.ReadAsync(ct))
                rows[reader.GetInt32(0)] = (reader.GetInt64(1),
                    new GroupGate(reader.IsDBNull(2) ? null : reader.GetDateTime(2), reader.IsDBNull(3) ? null : reader.GetDateTime(3),
                        reader.IsDBNull(4) ? null : reader.GetDateTime(4), reader.GetInt32(6)),
                    reader.IsDBNull(5) ? null : reader.GetString(5));
            for (var i = 0; i < plan.Groups.Count; i++)
            {
                var g = plan.Groups[i];
                var (size, gate, by) = rows.TryGetValue(i, out var row) ? row : (0, new GroupGate(null, null, null, 0), null);
                gates.Add(gate);
                var c = counts.Group(i);
                groups.Add(new RolloutGroupView(g.Name, size, counts.ByState(i), RolloutGate.StateOf(gate, status == UpgradeTaskStatus.Paused).ToString(),
                    gate.OpenedAt, g.Percent, g.SuccessThreshold, g.ErrorThreshold, g.MinFinished, g.SoakMinutes, g.Approval,
                    c.Succeeded, c.Failed, c.Finished, gate.ReachedAt, gate.ApprovedAt, by));
            }
        }
        var awaits = plan is not null && gates.Count == plan.Groups.Count && TaskLifecycle.Live.Contains(status) && RolloutGate.AwaitsApproval(plan, gates);
        var waiting = awaits ? plan!.Groups[RolloutGate.LastOpen(gates) + 1].Name : null;
        return new TaskProgressView(taskId, name, type.ToString(), status.ToString(), counts.ByState(), groups, pause, plan, rate, awaits, waiting, publishedAt, scheduledAt);
    }
}
