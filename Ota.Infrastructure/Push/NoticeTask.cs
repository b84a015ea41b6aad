using Ota.Domain;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;

namespace Ota.Infrastructure.Push;

/// <summary>Which task-VINs a round sends to: the pending ones (push) or those a failure report flagged for resending.</summary>
public enum NoticeRound { Push, Resend }

/// <summary>A task as the notice rounds send it: the notice fields and the current facts its VINs are judged against.</summary>
/// <param name="PackageId">The package the task's target resolves to now (SPEC §3 against current data).</param>
public sealed record NoticeTask(long Id, TaskType Type, Generation Generation, string Version, long? PackageId, TaskFacts Facts)
{
    public TaskDefinition Definition => Facts.Definition;
}
