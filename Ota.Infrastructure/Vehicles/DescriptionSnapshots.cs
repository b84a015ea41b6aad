using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Documents;

namespace Ota.Infrastructure.Vehicles;

/// <summary>
/// Stores package-description snapshots (collection <c>package_descriptions</c>) before the answer leaves: each caller
/// awaits its own snapshot, while concurrent callers' snapshots share one multi-row write. Under light load a batch is
/// one snapshot; under heavy load the batches grow up to <see cref="VehicleApiOptions.SnapshotBatchSize"/>.
/// </summary>
public sealed partial class DescriptionSnapshots : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly ILogger<DescriptionSnapshots> _logger;
    private readonly int _batchSize;
    private readonly Channel<Pending> _queue;
    private readonly Task[] _writers;

    public DescriptionSnapshots(IDocumentStore store, IOptions<VehicleApiOptions> options, ILogger<DescriptionSnapshots> logger)
    {
        _store = store;
        _logger = logger;
        _batchSize = options.Value.SnapshotBatchSize;
        // Bounded, so a stalled store pushes back on callers instead of filling memory.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_batchSize * 20) { FullMode = BoundedChannelFullMode.Wait });
        _writers = Enumerable.Range(0, options.Value.SnapshotWriters).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Completes when the snapshot is stored; throws when it could not be.</summary>
    public async Task StoreAsync(string id, string json, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(new DocumentToPut(id, json), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_batchSize);
        var documents = new List<DocumentToPut>(_batchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            documents.Clear();
            while (batch.Count < _batchSize && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                documents.Add(next.Document);
            }
            if (batch.Count == 0) continue;
            try
            {
                await _store.PutManyAsync(DocumentCollections.PackageDescriptions, documents);
                foreach (var p in batch) p.Stored.TrySetResult();
            }
            catch (Exception e)
            {
                LogFailed(_logger, batch.Count, e);
                foreach (var p in batch) p.Stored.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed record Pending(DocumentToPut Document, TaskCompletionSource Stored);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} package-description snapshots failed")]
    private static partial void LogFailed(ILogger logger, int count, Exception exception);
}
