using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Ota.Testing;

/// <summary>What an app's Hangfire storage holds (jobs being processed, done, waiting; servers), for a test's output.</summary>
public static class HangfireJobs
{
    public static string Describe(IServiceProvider services)
    {
        var api = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var lines = new List<string> { $"Hangfire at {DateTime.UtcNow:HH:mm:ss.fff}:" };
        foreach (var (id, job) in api.ProcessingJobs(0, 100))
            lines.Add($"processing {id} {job.Job?.Method.Name} on {job.ServerId} since {job.StartedAt:HH:mm:ss.fff}");
        foreach (var (id, job) in api.SucceededJobs(0, 100))
            lines.Add($"succeeded {id} {job.Job?.Method.Name} at {job.SucceededAt:HH:mm:ss.fff}: {job.Result}");
        foreach (var (id, job) in api.FailedJobs(0, 100))
            lines.Add($"failed {id} {job.Job?.Method.Name} at {job.FailedAt:HH:mm:ss.fff}: {job.ExceptionMessage}");
        foreach (var queue in api.Queues())
            foreach (var (id, job) in api.EnqueuedJobs(queue.Name, 0, 100))
                lines.Add($"enqueued in {queue.Name} {id} {job.Job?.Method.Name} at {job.EnqueuedAt:HH:mm:ss.fff}");
        foreach (var server in api.Servers())
            lines.Add($"server {server.Name}: {server.WorkersCount} workers, started {server.StartedAt:HH:mm:ss.fff}, heartbeat {server.Heartbeat:HH:mm:ss.fff}");
        return string.Join(Environment.NewLine, lines);
    }
}
