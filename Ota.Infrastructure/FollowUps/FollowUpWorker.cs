using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// The background side of the follow-ups, in every serving instance: one loop decides stored status reports, another
/// delivers what they queued, each delivery on its own so that a webhook hanging until its timeout holds up only itself.
/// Both wake when a report arrives here and otherwise poll, so reports stored by other instances are picked up too.
/// </summary>
public sealed partial class FollowUpWorker(
    FollowUpDecider decider, FollowUpDelivery delivery, FollowUpSignal signal, IOptions<FollowUpSettings> settings,
    ILogger<FollowUpWorker> logger) : BackgroundService
{
    private readonly FollowUpSignal _delivered = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Task.Run(() => DecideLoopAsync(stoppingToken), stoppingToken), Task.Run(() => DeliveryLoopAsync(stoppingToken), stoppingToken));

    private async Task DecideLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var decided = await decider.DecideDueAsync(ct);
                if (decided > 0)
                {
                    _delivered.Notify();
                    continue;
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // The database is away; the reports wait in their table until it is back.
                LogLoopFailed(logger, "deciding", e);
            }
            await Wait(signal, ct);
        }
    }

    private async Task DeliveryLoopAsync(CancellationToken ct)
    {
        var running = new HashSet<Task>();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var free = settings.Value.DeliveryConcurrency - running.Count;
                if (free > 0)
                    foreach (var id in await delivery.ClaimAsync(free, ct))
                        running.Add(delivery.DeliverAsync(id, ct));
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                LogLoopFailed(logger, "claiming deliveries", e);
            }
            var wake = _delivered.WaitAsync(settings.Value.PollInterval, ct);
            await Task.WhenAny(running.Append(wake));
            foreach (var done in running.Where(t => t.IsCompleted).ToList())
            {
                running.Remove(done);
                if (done.Exception is { } e) LogLoopFailed(logger, "delivering", e.GetBaseException());
            }
        }
        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private async Task Wait(FollowUpSignal wakeUp, CancellationToken ct)
    {
        try
        {
            await wakeUp.WaitAsync(settings.Value.PollInterval, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Follow-up worker: {What} failed; trying again shortly")]
    private static partial void LogLoopFailed(ILogger logger, string what, Exception exception);
}
