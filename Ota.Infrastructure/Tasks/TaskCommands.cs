using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Infrastructure.VinLists;

namespace Ota.Infrastructure.Tasks;

/// <summary>What the first step of the new-task wizard asks for.</summary>
public sealed class TaskBasics
{
    public string Name { get; set; } = "";
    public TaskType Type { get; set; } = TaskType.Normal;
    public TaskSource Source { get; set; } = TaskSource.Console;
    public long? SeriesModelId { get; set; }
    public string TargetVersion { get; set; } = "";
    public int Priority { get; set; }
    /// <summary>UTC; null means "as soon as it is published".</summary>
    public DateTime? ScheduledAt { get; set; }
    /// <summary>The rollout plan the task is created with (SPEC §12); null releases every VIN at once.</summary>
    public RolloutPlan? Rollout { get; set; }
}

/// <summary>The task changes the console makes: start an upload, publish, move priority, and the operator actions.</summary>
public sealed class TaskCommands(
    ConsoleUser user, IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, TaskValidationService validation,
    TaskFactsReader facts, TaskPublisher publisher, TaskOperations operations, AuditTrail audit, FleetVersionQueries fleet, TimeProvider clock)
{
    public const long MaxUploadBytes = 200L * 1024 * 1024;

    /// <summary>The checks a Diagnostic task skips, by their codes, each with the refusal it would have given, for the confirmation an Admin is asked for.</summary>
    public static IReadOnlyList<(string Code, string Refusal)> DiagnosticSkips { get; } =
        [.. VehicleEligibility.SkippedByDiagnostic.Codes().Select(code => (code, ReasonTexts.Describe(code)))];

    /// <summary>Checks the basics, including the task-level rules (package, baseline, strategies), before a list is uploaded.</summary>
    public async Task<FieldErrors> CheckBasicsAsync(TaskBasics basics, CancellationToken ct = default)
    {
        var errors = new FieldErrors();
        var name = basics.Name.Trim();
        if (name.Length == 0) errors.Add(nameof(TaskBasics.Name), "Give the task a name.");
        else if (name.Length > 200) errors.Add(nameof(TaskBasics.Name), "The name is longer than 200 characters.");
        else
        {
            // Every upload makes a draft: a second upload under the same name piled up a twin. Open tasks keep names apart.
            var open = TaskLifecycle.Open.ToArray();
            await using var db = await contexts.CreateDbContextAsync(ct);
            if (await db.Tasks.AsNoTracking().Where(t => t.Name == name && open.Contains(t.Status)).Select(t => new { t.Id, t.Status })
                    .FirstOrDefaultAsync(ct) is { } twin)
                errors.Add(nameof(TaskBasics.Name), $"Task #{twin.Id} ({twin.Status}) already has this name: give this one another, " +
                    $"or carry on with #{twin.Id} (a draft can be published or cancelled on its page).");
        }
        if (!TaskRanking.IsValidPriority(basics.Priority))
            errors.Add(nameof(TaskBasics.Priority), $"Priority goes from {TaskRanking.MinPriority} to {TaskRanking.MaxPriority}.");
        // The console makes Console tasks; the Diagnostic source (the after-sales tool's) skips the fleet-wide guards.
        if (basics.Source == TaskSource.OpenApi)
            errors.Add(nameof(TaskBasics.Source), "Open-API tasks are made through the open API.");
        else if (basics.Source == TaskSource.Diagnostic && !ConsoleRoles.Satisfies(await user.RoleAsync(), ConsoleRoles.Admin))
            errors.Add(nameof(TaskBasics.Source), $"Only an Admin can make a Diagnostic task: it skips the checks {string.Join(", ", DiagnosticSkips.Select(s => s.Code))}.");
        if (basics.ScheduledAt is { } at && HasPassed(at))
            errors.Add(nameof(TaskBasics.ScheduledAt), "The scheduled time has passed: pick a later time, or leave it empty to send when published.");
        var version = basics.TargetVersion.Trim();
        if (version.Length == 0) errors.Add(nameof(TaskBasics.TargetVersion), "Enter the target version, for example 3.1.5.");
        else if (!FirmwareVersion.TryParse(version, out var parsed) || parsed.Generation is null)
            errors.Add(nameof(TaskBasics.TargetVersion), $"'{version}' is not a target version: use numbers like 3.1.5, whose middle number is 1 (OTA1) or 2 (OTA2).");
        if (basics.SeriesModelId is not { } seriesModelId)
        {
            errors.Add(nameof(TaskBasics.SeriesModelId), "Choose the series-model.");
            return errors;
        }
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.SeriesModels.AnyAsync(s => s.Id == seriesModelId, ct))
            {
                errors.Add(nameof(TaskBasics.SeriesModelId), "That series-model does not exist (any more).");
                return errors;
            }
        }
        if (errors.ContainsKey(nameof(TaskBasics.TargetVersion))) return errors;

        // The task-level phases now, with a list of one, so a missing package or strategy is said before the upload.
        var verdict = (await facts.ReadAsync(basics.Type, basics.Source, seriesModelId, version, ct)).Verdict(1);
        foreach (var failure in verdict.Failures)
        {
            var field = failure.Code.StartsWith("STRATEGY_", StringComparison.Ordinal) ? nameof(TaskBasics.SeriesModelId) : nameof(TaskBasics.TargetVersion);
            errors.Add(field, $"{failure.Detail} ({failure.Code})", append: true);
        }
        return errors;
    }

    /// <summary>Stores the uploaded list and starts validating it in the background; returns the run id, or the problems.</summary>
    public Task<(long? RunId, FieldErrors Errors)> StartUploadAsync(TaskBasics basics, Stream upload, string fileName, long size,
        CancellationToken ct = default) =>
        StartAsync(basics, CheckUpload(fileName, size),
            async token => (await validation.KeepAsync(fileName, (file, t) => upload.CopyToAsync(file, t), token), fileName, null),
            new { File = fileName, Bytes = size }, ct);

    /// <summary>
    /// Starts a task from vehicles picked by their facts (the fleet-versions page): the selection is streamed from the
    /// registry into a VIN list kept on the server and validated by the same background pipeline as an uploaded file.
    /// </summary>
    public Task<(long? RunId, FieldErrors Errors)> StartFromSelectionAsync(TaskBasics basics, VehicleSelection selection, CancellationToken ct = default)
    {
        const string name = "fleet-selection.csv";
        var mismatch = basics.SeriesModelId == selection.SeriesModelId ? null : "The selection is of another series-model than the task.";
        return StartAsync(basics, mismatch, async token =>
        {
            long count = 0;
            var path = await validation.KeepAsync(name, async (file, t) => count = await fleet.WriteVinListAsync(selection, file, t), token);
            if (count > 0) return (path, name, null);
            File.Delete(path);
            return (null, name, "No vehicle matches the selection any more: change it on the fleet-versions page.");
        }, new { Selection = selection }, ct);
    }

    private async Task<(long? RunId, FieldErrors Errors)> StartAsync(TaskBasics basics, string? listError,
        Func<CancellationToken, Task<(string? Kept, string Name, string? Error)>> keepList, object auditedList, CancellationToken ct)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        var errors = await CheckBasicsAsync(basics, ct);
        if (listError is not null) errors.Add("File", listError);
        RolloutPlan? plan = null;
        try
        {
            plan = basics.Rollout is { } rollout ? RolloutPlanRules.Check(rollout) : null;
        }
        catch (RolloutPlanException ex)
        {
            errors.Add("Rollout", $"{ex.Message} ({ex.Code})");
        }
        if (!errors.IsValid) return (null, errors);

        var (kept, name, error) = await keepList(ct);
        if (kept is null)
        {
            errors.Add("File", error ?? "The list could not be kept.");
            return (null, errors);
        }
        var request = new ValidationRequest(basics.Type, basics.Source, basics.SeriesModelId!.Value, basics.TargetVersion.Trim(), actor)
        {
            Task = new TaskSpec(basics.Name.Trim(), basics.Priority, basics.ScheduledAt, plan),
        };
        var runId = await validation.StartFromKeptAsync(request, kept, name, ct);
        await audit.RecordAsync("Upload started", "ValidationRun", runId.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            new
            {
                basics.Name, Type = basics.Type.ToString(), Source = basics.Source.ToString(), basics.SeriesModelId, basics.TargetVersion,
                basics.Priority, basics.ScheduledAt, List = auditedList, Rollout = plan?.ToJson()
            }, ct: ct);
        return (runId, errors);
    }

    /// <summary>The words for a file that cannot be a VIN list, judged by its name and size; null when it may be one.</summary>
    public static string? CheckUpload(string fileName, long size)
    {
        try
        {
            TabularFile.FormatOf(fileName);
        }
        catch (TabularFileException ex)
        {
            return ex.Message;
        }
        if (size == 0) return "The file is empty.";
        if (size > MaxUploadBytes) return $"The file is larger than {MaxUploadBytes / 1024 / 1024} MB: split the list into several tasks.";
        return null;
    }

    /// <summary>A time to publish at that is over a minute ago (a minute allows for the form being filled in).</summary>
    private bool HasPassed(DateTime at) => at < clock.GetUtcNow().UtcDateTime.AddMinutes(-1);

    /// <summary>How many vehicles publishing this task would send to now: its VINs still pending (not superseded or cancelled).</summary>
    public async Task<long> SendableVinsAsync(long taskId, CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Viewer);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.TaskVins.SendableOf(taskId).LongCountAsync(ct);
    }

    /// <summary>Publishes a Draft task now or at <paramref name="scheduledAt"/> (UTC); other tasks' not-started VINs of the same vehicles are superseded.</summary>
    public async Task<TaskPublisher.Result> PublishAsync(long taskId, DateTime? scheduledAt, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct)
                ?? throw new ConsoleCommandException($"Task {taskId} does not exist.");
            if (task.Status != UpgradeTaskStatus.Draft)
                throw new ConsoleCommandException($"Only a Draft task can be published; this one is {task.Status}.");
            if (task.AwaitsApproval)
                throw new ConsoleCommandException($"{task.PublishRequestedBy} asked to publish this task: a second operator approves it, or the request is withdrawn.");
            var running = await db.ValidationRuns.AsNoTracking()
                .AnyAsync(r => r.TaskId == taskId && (r.Status == ValidationRunStatus.Staging || r.Status == ValidationRunStatus.Running), ct);
            if (running) throw new ConsoleCommandException("The VIN list is still being validated: publish when validation has finished.");
            if (!await db.TaskVins.AnyAsync(v => v.TaskId == taskId, ct))
                throw new ConsoleCommandException("The task has no accepted VINs, so there is nothing to publish.");
            // A draft's VINs are superseded by the tasks published after it was made: it may have none left to send.
            if (!await db.TaskVins.SendableOf(taskId).AnyAsync(ct))
                throw new ConsoleCommandException("None of the task's VINs is left to send: tasks published since it was made took them over " +
                    "(superseded) or they were cancelled. Publishing would only make an empty task: start a new one instead.");
        }
        if (scheduledAt is { } at && HasPassed(at))
            throw new ConsoleCommandException("The scheduled time has passed: pick a later time, or publish now.");
        var result = await publisher.PublishAsync(taskId, scheduledAt, actor, ct);
        await audit.RecordAsync(result.AwaitingApproval ? "Publish requested" : "Published", "UpgradeTask", Key(taskId), null,
            new { ScheduledAt = scheduledAt, result.SupersededVins }, ct: ct);
        return result;
    }

    /// <summary>Four-eyes publishing: a second operator publishes a draft another asked to publish; both names are audited.</summary>
    public async Task<TaskPublisher.Result> ApprovePublishAsync(long taskId, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        var task = await AwaitingAsync(taskId, ct);
        if (FourEyes.WhyNotApprover(task.PublishRequestedBy!, actor) is { } why) throw new ConsoleCommandException(why);
        // What a direct publish checks, checked again: time has passed since the request.
        if (task.PublishRequestedFor is { } from && HasPassed(from))
            throw new ConsoleCommandException($"The time asked for ({from:yyyy-MM-dd HH:mm} UTC) has passed: withdraw the request and ask again with a later time.");
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.TaskVins.SendableOf(taskId).AnyAsync(ct))
                throw new ConsoleCommandException("None of the task's VINs is left to send: tasks published since the request took them over " +
                    "(superseded) or they were cancelled. Withdraw the request and cancel the task.");
        }
        TaskPublisher.Result result;
        try
        {
            result = await publisher.ApproveAsync(taskId, actor, ct);
        }
        catch (InvalidOperationException ex)
        {
            throw new ConsoleCommandException(ex.Message);
        }
        await audit.RecordAsync("Publish approved", "UpgradeTask", Key(taskId), new { RequestedBy = task.PublishRequestedBy },
            new { ApprovedBy = actor, ScheduledAt = task.PublishRequestedFor, result.SupersededVins }, ct: ct);
        return result;
    }

    /// <summary>Withdraws a request to publish (the requester or another operator): the task is a plain draft again.</summary>
    public async Task WithdrawPublishRequestAsync(long taskId, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        var requestedBy = (await AwaitingAsync(taskId, ct)).PublishRequestedBy;
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Conditional: an approval already under way wins over the withdrawal.
        var withdrawn = await db.Tasks.Where(t => t.Id == taskId && t.Status == UpgradeTaskStatus.Draft && t.PublishRequestedBy != null && t.PublishApprovedBy == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.PublishRequestedBy, (string?)null).SetProperty(t => t.PublishRequestedAt, (DateTime?)null)
                .SetProperty(t => t.PublishRequestedFor, (DateTime?)null), ct);
        if (withdrawn == 0) throw new ConsoleCommandException($"Task {taskId} was approved or changed meanwhile: there is no request left to withdraw.");
        await audit.RecordAsync("Publish request withdrawn", "UpgradeTask", Key(taskId), new { RequestedBy = requestedBy }, null, ct: ct);
    }

    private async Task<UpgradeTask> AwaitingAsync(long taskId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct)
            ?? throw new ConsoleCommandException($"Task {taskId} does not exist.");
        return task.AwaitsApproval ? task : throw new ConsoleCommandException($"Task {taskId} does not await an approval; it is {task.Status}.");
    }

    private static string Key(long taskId) => taskId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Moves an open task one place up (sent earlier) or down among the open tasks; the new priorities are stored and audited.</summary>
    public async Task MovePriorityAsync(long taskId, bool up, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using var connection = await connections.OpenAsync(ct);
        // Tried again when a concurrent change of the same tasks makes it a deadlock victim.
        var (ranked, changed) = await Sql.InTransactionAsync(connection, async tx =>
        {
            // The open tasks, locked, so two operators moving tasks at once cannot interleave.
            var ranked = new List<(long Id, int Priority)>();
            await using (var read = Sql.Command(connection, tx,
                $"SELECT id, priority FROM ota_task WHERE status IN {Sql.List(TaskLifecycle.Open)} ORDER BY priority DESC, id DESC FOR UPDATE"))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) ranked.Add((reader.GetInt64(0), reader.GetInt32(1)));
            }
            if (ranked.All(t => t.Id != taskId))
                throw new ConsoleCommandException($"Only {Words(TaskLifecycle.Open)} tasks have a place in the sending order.");
            IReadOnlyDictionary<long, int>? changed;
            try
            {
                changed = TaskRanking.Move(ranked, taskId, up);
            }
            catch (OverflowException)
            {
                throw new ConsoleCommandException("The priorities above this task are at their maximum; lower them first.");
            }
            if (changed is null) throw new ConsoleCommandException(up ? "The task is already sent first." : "The task is already sent last.");
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var (id, priority) in changed)
                await Sql.ExecAsync(connection, tx, "UPDATE ota_task SET priority = @p, updated_by = @user, updated_at = @now WHERE id = @id", ct,
                    ("@p", priority), ("@user", actor), ("@now", now), ("@id", id));
            return (ranked, changed);
        }, ct);
        var before = changed.Keys.ToDictionary(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture), id => ranked.First(t => t.Id == id).Priority);
        var after = changed.ToDictionary(kv => kv.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), kv => kv.Value);
        await audit.RecordAsync(up ? "Moved up" : "Moved down", "UpgradeTask", taskId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { Priorities = before }, new { Priorities = after }, ct: ct);
    }

    // The operator actions belong to the push and compensation jobs (TaskOperations): they change the rows under the
    // operator's name and write their own audit entries; the console checks the role and puts refusals into words.

    public async Task<CancellationResult> CancelTaskAsync(long taskId, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        return await InWordsAsync(() => operations.CancelTaskAsync(taskId, actor, ct: ct));
    }

    public async Task<CancellationResult> CancelVinsAsync(long taskId, IReadOnlyCollection<string> vins, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        if (vins.Count == 0) throw new ConsoleCommandException("Select the VINs to cancel first.");
        return await InWordsAsync(() => operations.CancelVinsAsync(taskId, vins, actor, ct: ct));
    }

    public async Task<PushNowResult> PushNowAsync(long taskId, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        return await InWordsAsync(() => operations.PushNowAsync(taskId, actor, ct));
    }

    /// <summary>Starts a compensation run now for one task (or every task when null); null when the job storage cannot be reached.</summary>
    public async Task<string?> RunCompensationNowAsync(long? taskId = null, CancellationToken ct = default)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        return await operations.RunCompensationNowAsync(actor, taskId, ct);
    }

    /// <summary>"Draft, Validating and Published".</summary>
    private static string Words(IReadOnlySet<UpgradeTaskStatus> statuses)
    {
        var names = statuses.Order().Select(s => s.ToString()).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} and {names[^1]}";
    }

    private static async Task<T> InWordsAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (TaskActionException ex)
        {
            throw new ConsoleCommandException(ex.Message);
        }
    }
}
