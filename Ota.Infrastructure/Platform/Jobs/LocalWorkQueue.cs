using System.Threading.Channels;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>
/// Work this instance does itself when Hangfire's storage (Redis) cannot take it: validation goes on from MySQL while
/// Redis is down (SPEC §10). The work items are idempotent (chunk claims), so a job Hangfire also runs later is harmless.
/// </summary>
public sealed partial class LocalWorkQueue(ILogger<LocalWorkQueue> logger) : BackgroundService
{
    private readonly Channel<(string Name, Func<CancellationToken, Task> Work)> _queue =
        Channel.CreateUnbounded<(string, Func<CancellationToken, Task>)>();

    /// <summary>Work items taken over from Hangfire since start-up.</summary>
    public long TakenOver => Interlocked.Read(ref _takenOver);

    private long _takenOver;

    /// <summary>Enqueues with Hangfire, or runs the work here when Hangfire's storage is unreachable; false in that case.</summary>
    public bool EnqueueOrRunHere(string name, Action enqueue, Func<CancellationToken, Task> work)
    {
        try
        {
            enqueue();
            return true;
        }
        catch (Exception ex) when (IsStorageDown(ex))
        {
            LogTakenOver(name, ex.GetBaseException().Message);
            RunHere(name, work);
            return false;
        }
    }

    public void RunHere(string name, Func<CancellationToken, Task> work)
    {
        Interlocked.Increment(ref _takenOver);
        _queue.Writer.TryWrite((name, work));
    }

    public static bool IsStorageDown(Exception ex) =>
        ex is BackgroundJobClientException or RedisException or TimeoutException || ex.InnerException is RedisException;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Parallel.ForEachAsync(_queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = stoppingToken },
            async (item, ct) =>
            {
                try
                {
                    await item.Work(ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Logged, not rethrown: the recurring recovery job picks the work up again once Hangfire is back.
                    LogFailed(item.Name, ex);
                }
            });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hangfire storage unreachable ({Reason}); running {Name} in this instance")]
    private partial void LogTakenOver(string name, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name} failed in this instance; it will be recovered later")]
    private partial void LogFailed(string name, Exception exception);
}
