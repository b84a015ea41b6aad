using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Platform.Batching;
using Ota.Infrastructure.Platform.Documents;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.PackageInfo;

/// <summary>
/// Stores package-description snapshots (collection <c>package_descriptions</c>) before the answer leaves: each caller
/// awaits its own snapshot, while concurrent callers' snapshots share one multi-row write. Under light load a batch is
/// one snapshot; under heavy load the batches grow up to <see cref="VehicleApiOptions.SnapshotBatchSize"/>.
/// </summary>
public sealed class DescriptionSnapshots : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly RequestBatcher<DocumentToPut, bool> _batcher;

    public DescriptionSnapshots(IDocumentStore store, IOptions<VehicleApiOptions> options, ILogger<DescriptionSnapshots> logger)
    {
        _store = store;
        _batcher = new RequestBatcher<DocumentToPut, bool>(PutAsync, options.Value.SnapshotBatchSize, options.Value.SnapshotWriters,
            "package-description snapshots", logger);
    }

    /// <summary>Completes when the snapshot is stored; throws when it could not be.</summary>
    public Task StoreAsync(string id, string json, CancellationToken cancellationToken = default) =>
        _batcher.SubmitAsync(new DocumentToPut(id, json), cancellationToken);

    private async Task<IReadOnlyList<bool>> PutAsync(IReadOnlyList<DocumentToPut> documents, CancellationToken ct)
    {
        await _store.PutManyAsync(DocumentCollections.PackageDescriptions, documents, ct);
        return Enumerable.Repeat(true, documents.Count).ToArray();
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
