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
}
