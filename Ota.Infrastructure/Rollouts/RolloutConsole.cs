using System.Globalization;
using System.Text.RegularExpressions;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tasks;

namespace Ota.Infrastructure.Rollouts;

/// <summary>A paused task and why, for the dashboard.</summary>
public sealed record PausedTask(long TaskId, string Name, string? Code, string? Group, string? Detail, DateTime? At, string? By);

/// <summary>
/// The console's side of staged rollouts (SPEC §12): a task's progress and its activity by minute, the paused tasks,
/// the operator's actions (Operator role, refusals in words), and refused plans in words.
/// </summary>
public sealed partial class RolloutConsole(
    ConsoleUser user, RolloutQueries queries, RolloutActions actions, MySqlConnectionFactory connections, TimeProvider clock)
{
    public Task<TaskProgressView?> GetAsync(long taskId, CancellationToken ct = default) => queries.GetAsync(taskId, ct);

    /// <summary>For a live page's refresh: a read of the last second is shared by every page of the task.</summary>
    public Task<TaskProgressView?> GetLiveAsync(long taskId, CancellationToken ct = default) => queries.GetSharedAsync(taskId, ct);

    /// <summary>After a change to the task: the live pages read it afresh.</summary>
    public void ForgetLive(long taskId) => queries.Forget(taskId);

    public Task<TaskProgressView> PauseAsync(long taskId, CancellationToken ct = default) => ActAsync(user => actions.PauseAsync(taskId, user, ct));

    public Task<TaskProgressView> ResumeAsync(long taskId, CancellationToken ct = default) => ActAsync(user => actions.ResumeAsync(taskId, user, ct));

    public Task<TaskProgressView> ApproveAsync(long taskId, CancellationToken ct = default) => ActAsync(user => actions.ApproveAsync(taskId, user, ct));

    public Task<TaskProgressView> StopAsync(long taskId, CancellationToken ct = default) => ActAsync(user => actions.StopAsync(taskId, user, ct));

    /// <summary>The task's last <paramref name="count"/> minutes (or hours) up to now, oldest first, from the activity rollup.</summary>
    public async Task<IReadOnlyList<ActivityBucket>> ActivityAsync(long? taskId, int count = 60, bool hourly = false, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        return await TaskActivity.ReadAsync(connection, taskId, clock.GetUtcNow().UtcDateTime, count, hourly, ct);
    }

    /// <summary>The paused tasks, the most recently paused first, with why.</summary>
    public async Task<IReadOnlyList<PausedTask>> PausedAsync(int count = 50, CancellationToken ct = default)
    {
        var paused = new List<PausedTask>();
        await using var connection = await connections.OpenAsync(ct);
        await using var command = Sql.Command(connection, null,
            $"""
            SELECT t.id, t.name, r.pause_code, r.pause_group, r.pause_detail, r.paused_at, r.paused_by
            FROM ota_task t LEFT JOIN ota_task_rollout r ON r.task_id = t.id
            WHERE t.status = {Sql.Text(UpgradeTaskStatus.Paused)}
            ORDER BY r.paused_at DESC, t.id DESC LIMIT @count
            """, ("@count", count));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            paused.Add(new PausedTask(reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), Text(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetDateTime(5), Text(reader, 6)));
        return paused;
    }

    /// <summary>A refused plan in words: the code, where in the plan, and what is wrong.</summary>
    public static string InWords(RolloutPlanException ex)
    {
        var prefix = ex.Field + ": ";
        var what = ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message;
        return $"The rollout plan is refused ({ex.Code}, {FieldInWords(ex.Field)}): {what}";
    }

    /// <summary>A plan's field path in words: <c>rollout.groups[1].vins[0]</c> is "group 2, named VIN 1".</summary>
    public static string FieldInWords(string field)
    {
        if (field == "rollout") return "the plan";
        var group = GroupField().Match(field);
        if (group.Success)
        {
            var words = $"group {int.Parse(group.Groups[1].Value, CultureInfo.InvariantCulture) + 1}";
            if (!group.Groups[2].Success) return words;
            var name = group.Groups[2].Value;
            if (group.Groups[3].Success) return $"{words}, {Words(name, singular: true)} {int.Parse(group.Groups[3].Value, CultureInfo.InvariantCulture) + 1}";
            return $"{words}, {Words(name)}";
        }
        var rest = field.StartsWith("rollout.", StringComparison.Ordinal) ? field["rollout.".Length..] : field;
        return rest switch
        {
            "groups" => "the groups",
            "groups.vins" => "the named VINs",
            "executionTimeoutMinutes" => "execution timeout",
            _ when rest.StartsWith("noticeRate", StringComparison.Ordinal) =>
                "notice rate" + (rest.Length > "noticeRate.".Length ? ", " + Words(rest["noticeRate.".Length..]) : ""),
            _ => Words(rest),
        };
    }

    /// <summary>A camel-cased field name in words: "successThreshold" is "success threshold".</summary>
    private static string Words(string name, bool singular = false) => name switch
    {
        "vins" => singular ? "named VIN" : "named VINs",
        _ => CamelHump().Replace(name, " $1").ToLowerInvariant(),
    };

    private async Task<TaskProgressView> ActAsync(Func<string, Task<TaskProgressView>> action)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        try
        {
            return await action(actor);
        }
        catch (TaskActionException ex)
        {
            throw new ConsoleCommandException(ex.Message);
        }
    }

    private static string? Text(MySqlConnector.MySqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    [GeneratedRegex(@"^rollout\.groups\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupField();

    [GeneratedRegex("(?<=[a-z])([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelHump();
}
