using Microsoft.EntityFrameworkCore;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Push;

/// <summary>Reads a task and judges it at task level against current data (package and strategy phases of SPEC §3).</summary>
public sealed class NoticeTaskReader(IDbContextFactory<OtaDbContext> contexts, TaskFactsReader factsReader, TimeProvider clock)
{
    /// <summary>The task (null when it does not exist), what to send it with, and the task-level verdict now.</summary>
    public async Task<(UpgradeTask? Task, NoticeTask? Notice, TaskVerdict Verdict)> ReadAsync(long taskId, CancellationToken ct)
    {
        UpgradeTask? task;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null) return (null, null, TaskVerdict.Valid);
        var facts = await factsReader.ReadAsync(task.Type, task.Source, task.SeriesModelId, task.TargetVersion, ct);
        // The VINs are judged chunk by chunk; one VIN stands for "the list is not empty".
        var verdict = facts.Verdict(1);
        var notice = new NoticeTask(task.Id, task.Type, task.Generation, task.TargetVersion, facts.PackageId ?? task.PackageId, facts);
        return (task, notice, verdict);
    }

    /// <summary>
    /// Records on the task (extension info) what blocks its push, or clears it, only when that changes, so the console
    /// can say why a published task sends nothing.
    /// </summary>
    public async Task RecordPushBlockAsync(long taskId, TaskVerdict verdict, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var task = await db.Tasks.SingleOrDefaultAsync(t => t.Id == taskId, ct);
        if (task is null) return;
        var info = TaskExtensionInfo.Parse(task.ExtensionInfo);
        var blockedBy = verdict.IsValid ? null : verdict.ToString();
        if (info.PushBlockedBy == blockedBy) return;
        info.PushBlockedBy = blockedBy;
        info.PushBlockedAt = blockedBy is null ? null : clock.GetUtcNow().UtcDateTime;
        task.ExtensionInfo = TaskExtensionInfo.Serialize(info);
        await db.SaveChangesAsync(ct);
    }
}
