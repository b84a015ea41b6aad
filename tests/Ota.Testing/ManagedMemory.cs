using System.Runtime;

namespace Ota.Testing;

/// <summary>Memory checks for tests that must not leave the app (in the test process) holding on to what they sent.</summary>
public static class ManagedMemory
{
    /// <summary>Managed bytes still reachable after full, compacting collections, large objects included.</summary>
    public static long LiveBytes()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>
    /// The live bytes now, measured again every half second for up to <paramref name="patience"/> while they are
    /// <paramref name="limit"/> or more above <paramref name="before"/>: work still winding down elsewhere in the test
    /// process (another fixture's app finishing a background job) frees its memory within seconds, while what the code
    /// under test keeps stays. A full run once measured 211 MiB more than this test alone did.
    /// </summary>
    public static async Task<long> SettledLiveBytesAsync(long before, long limit, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var now = LiveBytes();
            if (now - before < limit || DateTime.UtcNow >= deadline) return now;
            await Task.Delay(500);
        }
    }
}
