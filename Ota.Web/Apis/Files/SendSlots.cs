using System.Diagnostics;

namespace Ota.Web.Apis.Files;

/// <summary>
/// The few slots under which download blocks are filled and handed to the socket, for all downloads together: enough to
/// keep two cores busy, few enough that the blocks in flight stay few however many vehicles download at once. A holder
/// whose receiver has not taken its block within <see cref="SlowReceiver"/> loses its slot to the others: one sweep timer
/// takes it back, so that holding a slot allocates nothing per block (a timer per block made the GC's young generation,
/// and with it the app's memory, grow with the downloads; docs/performance.md).
/// </summary>
internal static class SendSlots
{
    internal const int Count = 32;

    internal static readonly TimeSpan SlowReceiver = TimeSpan.FromMilliseconds(50);

    private static readonly SemaphoreSlim Free = new(Count, Count);

    /// <summary>Who holds each slot (null: free or taken back); at most <see cref="Count"/> hold one at a time.</summary>
    private static readonly Holder?[] Holders = new Holder?[Count];

    private static readonly Timer Sweeper = new(_ => Sweep(), null, Timeout.Infinite, Timeout.Infinite);

    private static int _sweeping;

    /// <summary>One download's claim on a slot, reused for each of its blocks.</summary>
    internal sealed class Holder
    {
        internal long Since;
    }

    public static async ValueTask TakeAsync(Holder holder, CancellationToken ct)
    {
        await Free.WaitAsync(ct);
        Volatile.Write(ref holder.Since, Stopwatch.GetTimestamp());
        for (var i = 0; ; i = (i + 1) % Count)
        {
            if (Interlocked.CompareExchange(ref Holders[i], holder, null) is null) break;
        }
        if (Interlocked.Exchange(ref _sweeping, 1) == 0) Sweeper.Change(SweepEvery, SweepEvery);
    }

    /// <summary>Gives the slot back, unless the sweeper took it back already because the receiver was slow.</summary>
    public static void Give(Holder holder)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(Volatile.Read(ref Holders[i]), holder) && Interlocked.CompareExchange(ref Holders[i], null, holder) == holder)
            {
                Free.Release();
                return;
            }
        }
    }

    private static readonly TimeSpan SweepEvery = SlowReceiver / 2;

    private static void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        var held = 0;
        for (var i = 0; i < Count; i++)
        {
            if (Volatile.Read(ref Holders[i]) is not { } holder) continue;
            held++;
            if (Stopwatch.GetElapsedTime(Volatile.Read(ref holder.Since), now) < SlowReceiver) continue;
            // Cleared before released, so a slot is never counted free while a holder still appears in it.
            if (Interlocked.CompareExchange(ref Holders[i], null, holder) == holder)
            {
                Free.Release();
                held--;
            }
        }
        if (held == 0)
        {
            // Idle: the timer stops until the next download takes a slot (which starts it again).
            Volatile.Write(ref _sweeping, 0);
            Sweeper.Change(Timeout.Infinite, Timeout.Infinite);
            // A slot taken between the count and the stop would otherwise go unwatched.
            if (Array.Exists(Holders, h => h is not null) && Interlocked.Exchange(ref _sweeping, 1) == 0)
                Sweeper.Change(SweepEvery, SweepEvery);
        }
    }
}
