using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ota.Infrastructure.Platform.Batching;

/// <summary>
/// Lets concurrent callers share one round trip: each caller submits its own item and awaits its own result, while a few
/// workers take whatever has queued up (up to <c>maxBatch</c>) and handle it in one call. Under light load a batch is one
/// item and nothing waits; under heavy load the batches grow and the database sees a few large statements instead of
/// many small ones.
/// <para>
/// A batch that fails as a whole is tried again item by item, so one bad item fails only its own caller. A caller that
/// stops waiting does not take its item back: it may still be handled.
/// </para>
/// </summary>
public sealed partial class RequestBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _handle;
    private readonly int _maxBatch;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly Task[] _workers;

    /// <param name="handle">Handles a batch; returns one result per item, in the items' order.</param>
    /// <param name="name">What the batches are, for the log.</param>
    public RequestBatcher(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> handle, int maxBatch, int workers,
        string name, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _handle = handle;
        _maxBatch = maxBatch;
        _name = name;
        _logger = logger;
        // Bounded, so a stalled database pushes back on callers instead of filling memory.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(maxBatch * workers * 10) { FullMode = BoundedChannelFullMode.Wait });
        _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync)).ToArray();
    }

    /// <summary>
    /// Completes with the item's result once its batch is handled; throws what handling it threw. Batches run to the end
    /// once taken (disposing waits for what was queued), so they are not given the caller's token.
    /// </summary>
    public async Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Result.Task.WaitAsync(cancellationToken);
    }

    private async Task WorkAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var items = new List<TItem>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            items.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                items.Add(next.Item);
            }
            if (batch.Count == 0) continue;
            try
            {
                Complete(batch, await _handle(items, CancellationToken.None));
            }
            catch (Exception e) when (batch.Count > 1)
            {
                LogBatchFailed(_logger, _name, batch.Count, e);
                foreach (var one in batch) await HandleAloneAsync(one);
            }
            catch (Exception e)
            {
                LogFailed(_logger, _name, e);
                batch[0].Result.TrySetException(e);
            }
        }
    }

    private async Task HandleAloneAsync(Pending one)
    {
        try
        {
            Complete([one], await _handle([one.Item], CancellationToken.None));
        }
        catch (Exception e)
        {
            LogFailed(_logger, _name, e);
            one.Result.TrySetException(e);
        }
    }

    private static void Complete(List<Pending> batch, IReadOnlyList<TResult> results)
    {
        if (results.Count != batch.Count)
            throw new InvalidOperationException($"A batch of {batch.Count} items was answered with {results.Count} results.");
        for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(results[i]);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} {Name} failed; each is tried alone")]
    private static partial void LogBatchFailed(ILogger logger, string name, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling one of the {Name} failed")]
    private static partial void LogFailed(ILogger logger, string name, Exception exception);
}
