using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Configurations;
using Ota.Infrastructure.VinLists;

namespace Ota.Infrastructure.Tasks;

/// <summary>
/// Publishes a task: its VINs become the vehicles' current task, so every other task-VIN of the same VINs that has
/// not started (not yet notified) is superseded (SPEC §4). The superseded ids are selected first, then updated, and
/// each superseded row keeps the id of the task that replaced it.
/// </summary>
public sealed partial class TaskPublisher(IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, RolloutStart rollouts,
    IOptions<PublishingOptions> publishing, ILogger<TaskPublisher> logger, TimeProvider clock)
    : IValidatedTaskPublisher
{
    /// <summary>A run published on completion is published by the system, as soon as its VINs are validated.</summary>
    public Task PublishValidatedAsync(long taskId, CancellationToken ct) => PublishAsync(taskId, null, SystemUser, ct);

    private const string SystemUser = "system";

    /// <param name="AwaitingApproval">Not published: four-eyes publishing applies and the task now awaits a second operator.</param>
    public sealed record Result(long TaskId, int SupersededVins, bool AwaitingApproval = false);

    public async Task<Result> PublishAsync(long taskId, DateTime? scheduledAt, string user, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, ct)
            ?? throw new InvalidOperationException($"Task {taskId} does not exist.");
        if (task.Status == UpgradeTaskStatus.Published) return new Result(taskId, 0);
        var requester = user == SystemUser ? task.CreatedBy : user;
        if (task.AwaitsApproval) return new Result(taskId, 0, AwaitingApproval: true);
        var vehicles = await db.TaskVins.SendableOf(taskId).LongCountAsync(ct);
        if (FourEyes.Required(task.Type, vehicles, publishing.Value.FourEyesAboveVehicles))
        {
            // The plan's named VINs are judged when the request is made, as a direct publish would: the approver is not
            // left with a request that can never be published.
            await CheckPilotsAsync(task, strict: user != SystemUser, ct);
            task.RequestPublish(clock.GetUtcNow().UtcDateTime, requester, scheduledAt);
            await db.SaveChangesAsync(ct);
            return new Result(taskId, 0, AwaitingApproval: true);
        }
        return await PublishLoadedAsync(db, task, scheduledAt, user, t => t.Publish(clock.GetUtcNow().UtcDateTime, requester), ct);
    }

    /// <summary>Publishes a draft that awaits approval, as asked for by its requester; the approver must be someone else (<see cref="FourEyes"/>).</summary>
    public async Task<Result> ApproveAsync(long taskId, string approver, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, ct)
            ?? throw new InvalidOperationException($"Task {taskId} does not exist.");
        // Checked before anything is written: superseding other tasks' VINs must not happen for an approval that fails.
        if (!task.AwaitsApproval) throw new InvalidOperationException($"Task {taskId} does not await an approval; it is {task.Status}.");
        if (FourEyes.WhyNotApprover(task.PublishRequestedBy!, approver) is { } why) throw new InvalidOperationException(why);
        // The approval is claimed in one conditional statement: of two approvers, or an approval and a withdrawal, one wins.
        var claimed = await db.Tasks.Where(t => t.Id == taskId && t.Status == UpgradeTaskStatus.Draft && t.PublishRequestedBy == task.PublishRequestedBy
                && t.PublishApprovedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.PublishApprovedBy, approver), ct);
        if (claimed == 0)
            throw new InvalidOperationException($"Task {taskId} was changed meanwhile: its request was withdrawn, it was cancelled, or another operator approved it.");
        try
        {
            return await PublishLoadedAsync(db, task, task.PublishRequestedFor, approver, t => t.ApprovePublish(clock.GetUtcNow().UtcDateTime, approver), ct,
                pilotsChecked: true);
        }
        catch
        {
            // Nothing was published: the request waits for an approval again.
            await db.Tasks.Where(t => t.Id == taskId && t.Status == UpgradeTaskStatus.Draft && t.PublishApprovedBy == approver)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.PublishApprovedBy, (string?)null), CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The plan's named VINs that are not in the task: an operator is told and the task stays a draft (<paramref name="strict"/>).
    /// A task published by its validation (the open API checked the names against the list it sent) goes on without the
    /// VINs validation rejected: they were answered.
    /// </summary>
    private async Task CheckPilotsAsync(UpgradeTask task, bool strict, CancellationToken ct)
    {
        if (TaskExtensionInfo.Parse(task.ExtensionInfo).Rollout is not { } plan || await rollouts.PilotsNotInTaskAsync(task.Id, plan, ct) is not { Count: > 0 } missing)
            return;
        if (strict)
            throw new RolloutPlanException("rollout.groups.vins",
                $"{missing.Count} named VIN(s) are not in the task: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}.",
                RolloutPlanException.VinNotInTask);
        LogPilotsLeftOut(task.Id, missing.Count, string.Join(", ", missing.Take(5)));
    }

    private async Task<Result> PublishLoadedAsync(OtaDbContext db, UpgradeTask task, DateTime? scheduledAt, string user, Action<UpgradeTask> publish,
        CancellationToken ct, bool pilotsChecked = false)
    {
        var taskId = task.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        var info = TaskExtensionInfo.Parse(task.ExtensionInfo);
        if (!pilotsChecked) await CheckPilotsAsync(task, strict: user != SystemUser, ct);
        var superseded = await SupersedeAsync(taskId, now, ct);
        if (scheduledAt is not null) task.ScheduledAt = scheduledAt;
        if (info.Rollout is { } rollout) await rollouts.StartAsync(taskId, rollout, scheduledAt ?? task.ScheduledAt ?? now, ct);
        // Published on completion: by whoever created the task and asked for that (an open-API key, an operator).
        publish(task);
        task.UpdatedBy = user;
        task.UpdatedAt = now;
        info.SupersededVins = (info.SupersededVins ?? 0) + superseded;
        task.ExtensionInfo = TaskExtensionInfo.Serialize(info);
        await db.SaveChangesAsync(ct);
        return new Result(taskId, superseded);
    }

    /// <summary>Cancels the not-started task-VINs of other tasks for the VINs of <paramref name="taskId"/>; returns how many.</summary>
    public async Task<int> SupersedeAsync(long taskId, DateTime now, CancellationToken ct = default)
    {
        var supersedable = Sql.List(TaskVinLifecycle.From(TaskVinChange.Supersede));
        await using var connection = await connections.OpenAsync(ct);
        await Sql.ExecAsync(connection, null, "DROP TEMPORARY TABLE IF EXISTS tmp_superseded", ct);
        await Sql.ExecAsync(connection, null,
            $"CREATE TEMPORARY TABLE tmp_superseded (task_id BIGINT NOT NULL, vin {VinColumn.SqlType} NOT NULL, PRIMARY KEY (task_id, vin)) ENGINE=InnoDB", ct);
        // The ids first, then the update of those ids, so what was superseded is what was selected; tried again when a
        // push claim on the same rows makes it a deadlock victim.
        return await Sql.InTransactionAsync(connection, async tx =>
        {
            await Sql.ExecAsync(connection, tx, "DELETE FROM tmp_superseded", ct);
            await Sql.ExecAsync(connection, tx,
                $"""
                INSERT INTO tmp_superseded (task_id, vin)
                SELECT o.task_id, o.vin FROM ota_task_vin n
                JOIN ota_task_vin o ON o.vin = n.vin AND o.task_id <> n.task_id
                WHERE n.task_id = @task AND n.is_delete = 0 AND o.state IN {supersedable} AND o.is_delete = 0
                """, ct, ("@task", taskId));
            return await Sql.ExecAsync(connection, tx,
                $"""
                UPDATE ota_task_vin o JOIN tmp_superseded s ON s.task_id = o.task_id AND s.vin = o.vin
                SET o.state = {Sql.Text(TaskVinState.Superseded)}, o.is_delete = 1, o.superseded_by_task_id = @task, o.updated_at = @now,
                    o.claimed_by = NULL, o.lease_until = NULL
                WHERE o.state IN {supersedable} AND o.is_delete = 0
                """, ct, ("@task", taskId), ("@now", now));
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId}: {Count} VIN(s) its rollout plan names were rejected by validation and are left out: {Vins}")]
    private partial void LogPilotsLeftOut(long taskId, int count, string vins);
}
