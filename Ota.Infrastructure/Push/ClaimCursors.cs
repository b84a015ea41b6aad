using System.Collections.Concurrent;

namespace Ota.Infrastructure.Push;

/// <summary>
/// Where this instance's workers are in each task's VINs (in VIN order), so that they claim consecutive ranges instead
/// of racing for the same one; claims are serialised per task within the instance. Other instances have cursors of
/// their own: when they collide, the claim update decides and the loser moves on.
/// </summary>
public sealed class ClaimCursors
{
    private readonly ConcurrentDictionary<(long TaskId, NoticeRound Round), Cursor> _cursors = new();

    internal Cursor For(long taskId, NoticeRound round) => _cursors.GetOrAdd((taskId, round), _ => new Cursor());

    internal sealed class Cursor
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The last VIN claimed (exclusive lower bound of the next claim); empty to start from the first.</summary>
        public string After { get; set; } = "";
    }
}
