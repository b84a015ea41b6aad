using Hangfire;
using Ota.Infrastructure.Platform.Telemetry;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>Hangfire jobs enqueued per queue (validation chunks, push workers…), from the job storage's own counters.</summary>
internal sealed class JobQueueGauges(JobStorage storage) : IGaugeSource
{
    public Task<IReadOnlyList<GaugeReading>> ReadAsync(CancellationToken ct)
    {
        var queues = storage.GetMonitoringApi().Queues();
        IReadOnlyList<GaugeReading> readings = [.. queues.Select(q => new GaugeReading(OtaMetrics.QueueLength, q.Name, q.Length))];
        return Task.FromResult(readings);
    }
}
