using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;
using StackExchange.Redis;

namespace Ota.Infrastructure.Platform.Jobs;

/// <summary>
/// The inner storage's connection, unchanged but for <see cref="FetchNextJob"/>, which waits out a Redis outage (see
/// <see cref="OutageTolerantJobStorage"/>).
/// </summary>
internal sealed class OutageTolerantConnection(JobStorageConnection inner, OutageTolerantJobStorage storage) : JobStorageConnection
{
    public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return inner.FetchNextJob(queues, cancellationToken);
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException && !cancellationToken.IsCancellationRequested)
            {
                storage.WaitForRedis(e, cancellationToken);
            }
        }
    }

    public override void Dispose()
    {
        inner.Dispose();
        base.Dispose();
    }

    public override IWriteOnlyTransaction CreateWriteTransaction() => inner.CreateWriteTransaction();
    public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout) => inner.AcquireDistributedLock(resource, timeout);

    public override string CreateExpiredJob(Job job, IDictionary<string, string> parameters, DateTime createdAt, TimeSpan expireIn) =>
        inner.CreateExpiredJob(job, parameters, createdAt, expireIn);

    public override void SetJobParameter(string id, string name, string value) => inner.SetJobParameter(id, name, value);
    public override string GetJobParameter(string id, string name) => inner.GetJobParameter(id, name);
    public override JobData GetJobData(string jobId) => inner.GetJobData(jobId);
    public override StateData GetStateData(string jobId) => inner.GetStateData(jobId);

    public override void AnnounceServer(string serverId, ServerContext context) => inner.AnnounceServer(serverId, context);
    public override void RemoveServer(string serverId) => inner.RemoveServer(serverId);
    public override void Heartbeat(string serverId) => inner.Heartbeat(serverId);
    public override int RemoveTimedOutServers(TimeSpan timeOut) => inner.RemoveTimedOutServers(timeOut);

    public override HashSet<string> GetAllItemsFromSet(string key) => inner.GetAllItemsFromSet(key);
    public override string GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore) => inner.GetFirstByLowestScoreFromSet(key, fromScore, toScore);

    public override List<string> GetFirstByLowestScoreFromSet(string key, double fromScore, double toScore, int count) =>
        inner.GetFirstByLowestScoreFromSet(key, fromScore, toScore, count);

    public override long GetSetCount(string key) => inner.GetSetCount(key);
    public override long GetSetCount(IEnumerable<string> keys, int limit) => inner.GetSetCount(keys, limit);
    public override bool GetSetContains(string key, string value) => inner.GetSetContains(key, value);
    public override List<string> GetRangeFromSet(string key, int startingFrom, int endingAt) => inner.GetRangeFromSet(key, startingFrom, endingAt);
    public override TimeSpan GetSetTtl(string key) => inner.GetSetTtl(key);

    public override void SetRangeInHash(string key, IEnumerable<KeyValuePair<string, string>> keyValuePairs) => inner.SetRangeInHash(key, keyValuePairs);
    public override Dictionary<string, string> GetAllEntriesFromHash(string key) => inner.GetAllEntriesFromHash(key);
    public override string GetValueFromHash(string key, string name) => inner.GetValueFromHash(key, name);
    public override long GetHashCount(string key) => inner.GetHashCount(key);
    public override TimeSpan GetHashTtl(string key) => inner.GetHashTtl(key);

    public override long GetListCount(string key) => inner.GetListCount(key);
    public override List<string> GetAllItemsFromList(string key) => inner.GetAllItemsFromList(key);
    public override List<string> GetRangeFromList(string key, int startingFrom, int endingAt) => inner.GetRangeFromList(key, startingFrom, endingAt);
    public override TimeSpan GetListTtl(string key) => inner.GetListTtl(key);

    public override long GetCounter(string key) => inner.GetCounter(key);
    public override DateTime GetUtcDateTime() => inner.GetUtcDateTime();
}
