namespace Ota.Infrastructure.VinLists;

/// <summary>
/// Publishes the task of a run that asked to be published as soon as its VINs are validated (open API publish). The
/// tasks flow provides it, so that VIN lists need not know how a task is published.
/// </summary>
public interface IValidatedTaskPublisher
{
    Task PublishValidatedAsync(long taskId, CancellationToken ct);
}
