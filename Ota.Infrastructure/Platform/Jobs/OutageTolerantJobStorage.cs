using Hangfire;
using Hangfire.Logging;
using Hangfire.Server;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>
/// Hangfire's job storage with one change: an idle worker whose wait for the next job fails because Redis is away waits
/// for Redis to come back (trying again every <see cref="RetryInterval"/>) instead of failing.
/// <para>
/// A failing worker loop is put in Hangfire's own back-off, which waits about n² seconds after its n-th failure in a row
/// (up to 5 minutes) and cannot be configured: after a one-minute outage the workers could sit idle for another half
/// minute or more with jobs in the queue. Waiting inside the fetch keeps their failure count at zero, so they take jobs
/// within a retry interval of Redis's return. Everything else is the inner storage's, unchanged.
/// </para>
/// </summary>
public sealed partial class OutageTolerantJobStorage : JobStorage
{
    private readonly JobStorage _inner;
    private readonly Func<bool> _redisConnected;
    private readonly ILogger<OutageTolerantJobStorage> _logger;
    private int _waiting;

    /// <param name="redisConnected">Whether the inner storage's connection to Redis is up again.</param>
    public OutageTolerantJobStorage(JobStorage inner, Func<bool> redisConnected, ILogger<OutageTolerantJobStorage> logger)
    {
        _inner = inner;
        _redisConnected = redisConnected;
        _logger = logger;
        JobExpirationTimeout = inner.JobExpirationTimeout;
    }

    /// <summary>How often a waiting worker tries Redis again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Workers waiting for Redis right now.</summary>
    public int WaitingWorkers => Volatile.Read(ref _waiting);

    public override bool LinearizableReads => _inner.LinearizableReads;

    public override IMonitoringApi GetMonitoringApi() => _inner.GetMonitoringApi();

    public override IStorageConnection GetConnection() => new OutageTolerantConnection((JobStorageConnection)_inner.GetConnection(), this);

    public override IStorageConnection GetReadOnlyConnection() =>
        new OutageTolerantConnection((JobStorageConnection)_inner.GetReadOnlyConnection(), this);

    // The Redis storage still hands its watchers (re-queueing the jobs of dead servers) out this way.
    [Obsolete("Hangfire's own obsolete member, kept so the inner storage's watchers run.")]
#pragma warning disable CS0618
    public override IEnumerable<IServerComponent> GetComponents() => _inner.GetComponents();
#pragma warning restore CS0618

    public override IEnumerable<IBackgroundProcess> GetServerRequiredProcesses() => _inner.GetServerRequiredProcesses();

    public override IEnumerable<IBackgroundProcess> GetStorageWideProcesses() => _inner.GetStorageWideProcesses();

    public override IEnumerable<IStateHandler> GetStateHandlers() => _inner.GetStateHandlers();

    public override void WriteOptionsToLog(ILog logger) => _inner.WriteOptionsToLog(logger);

    public override bool HasFeature(string featureId) => _inner.HasFeature(featureId);

    public override string ToString() => _inner.ToString() ?? nameof(OutageTolerantJobStorage);

    /// <summary>
    /// A worker whose fetch failed waits until the connection to Redis is up again (or its server stops, which throws);
    /// the first worker to wait and the last to stop say so in the log.
    /// </summary>
    internal void WaitForRedis(Exception failure, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) == 1) LogWaiting(_logger, failure.Message);
        try
        {
            do
            {
                cancellationToken.WaitHandle.WaitOne(RetryInterval);
                cancellationToken.ThrowIfCancellationRequested();
            }
            while (!_redisConnected());
        }
        finally
        {
            if (Interlocked.Decrement(ref _waiting) == 0 && !cancellationToken.IsCancellationRequested) LogResumed(_logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hangfire workers cannot reach Redis ({Error}); they wait for it and take jobs as soon as it returns")]
    private static partial void LogWaiting(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hangfire workers reach Redis again and take jobs")]
    private static partial void LogResumed(ILogger logger);
}
