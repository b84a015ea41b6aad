using Microsoft.Extensions.Logging.Abstractions;
using Ota.Infrastructure.Platform.Batching;

namespace Ota.Infrastructure.Tests.Platform.Batching;

public sealed class RequestBatcherBehaviour
{
    [Fact]
    public async Task GivesEachCallerItsOwnResultWhileCallersShareBatches()
    {
        var batches = new List<int>();
        var firstBatchTaken = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var batcher = new RequestBatcher<int, string>(async (items, _) =>
        {
            lock (batches) batches.Add(items.Count);
            firstBatchTaken.TrySetResult();
            await release.Task;
            return items.Select(i => $"#{i}").ToArray();
        }, maxBatch: 10, workers: 1, "numbers", NullLogger.Instance);

        var first = batcher.SubmitAsync(0);
        await firstBatchTaken.Task;
        // While the one worker is busy, 25 more queue up: they are taken 10, 10 and 5 at a time.
        var rest = Enumerable.Range(1, 25).Select(i => batcher.SubmitAsync(i)).ToArray();
        release.SetResult();

        Assert.Equal("#0", await first);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"#{i}"), await Task.WhenAll(rest));
        Assert.Equal([1, 10, 10, 5], batches);
    }

    [Fact]
    public async Task TriesAFailedBatchItemByItemSoOnlyTheBadItemFails()
    {
        var gate = new TaskCompletionSource();
        var calls = 0;
        await using var batcher = new RequestBatcher<int, int>(async (items, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1) await gate.Task;
            if (items.Contains(13)) throw new InvalidOperationException("13 is bad");
            return items.Select(i => i * 2).ToArray();
        }, maxBatch: 10, workers: 1, "numbers", NullLogger.Instance);

        var blocker = batcher.SubmitAsync(1);
        var batch = new[] { 12, 13, 14 }.Select(i => batcher.SubmitAsync(i)).ToArray();
        gate.SetResult();

        Assert.Equal(2, await blocker);
        Assert.Equal(24, await batch[0]);
        var bad = await Assert.ThrowsAsync<InvalidOperationException>(() => batch[1]);
        Assert.Equal("13 is bad", bad.Message);
        Assert.Equal(28, await batch[2]);
    }

    [Fact]
    public async Task FailsEveryCallerWhenABatchAnswersWithTheWrongNumberOfResults()
    {
        await using var batcher = new RequestBatcher<int, int>((_, _) => Task.FromResult<IReadOnlyList<int>>([]), maxBatch: 10,
            workers: 1, "numbers", NullLogger.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batcher.SubmitAsync(7));
    }

    [Fact]
    public async Task HandlesWhatWasQueuedBeforeItIsDisposed()
    {
        var handled = 0;
        var batcher = new RequestBatcher<int, int>(async (items, _) =>
        {
            await Task.Delay(20);
            Interlocked.Add(ref handled, items.Count);
            return items;
        }, maxBatch: 4, workers: 2, "numbers", NullLogger.Instance);
        var submitted = Enumerable.Range(0, 30).Select(i => batcher.SubmitAsync(i)).ToArray();
        await batcher.DisposeAsync();
        Assert.Equal(30, handled);
        Assert.Equal(Enumerable.Range(0, 30), await Task.WhenAll(submitted));
    }
}
