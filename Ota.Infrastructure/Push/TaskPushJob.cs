using Hangfire;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.Push;

/// <summary>
/// The push job of SPEC §5 (OtaTaskInfoJob) as Hangfire sees it. The recurring run sends the cancel notices that are
/// due, marks executed the due tasks with nothing pending, and when any due task has pending VINs starts
/// <see cref="PushOptions.Workers"/> worker jobs, which any instance sharing the Hangfire storage may pick up.
/// </summary>
public sealed class TaskPushJob(PushTasks pushTasks, PushWorker worker, CancelNotices cancelNotices, IBackgroundJobClient jobs,
    IOptions<PushOptions> options)
{
    public const string RecurringJobId = "OtaTaskInfoJob";

    [JobDisplayName("OtaTaskInfoJob: push the tasks whose time has come")]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var cancels = await cancelNotices.SendDueAsync(null, cancellationToken);
        var (withPending, executed) = await pushTasks.SurveyAsync(cancellationToken);
        var workers = withPending > 0 ? options.Value.Workers : 0;
        for (var i = 0; i < workers; i++) jobs.Enqueue<TaskPushJob>(j => j.WorkAsync(CancellationToken.None));
        return $"{withPending} due tasks with pending VINs, {workers} workers started; {executed} tasks executed; " +
               $"cancel notices: {cancels.Sent} sent, {cancels.Failed} not sent";
    }

    // No retry: the next recurring run is the retry, and nothing a failed worker held is lost (its claims expire).
    [JobDisplayName("OtaTaskInfoJob worker: push chunks")]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> WorkAsync(CancellationToken cancellationToken) => (await worker.RunAsync(cancellationToken)).ToString();
}
