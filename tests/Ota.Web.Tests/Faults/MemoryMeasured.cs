namespace Ota.Web.Tests.Faults;

/// <summary>
/// Tests that measure the memory of the test process (the app runs in it): they run alone, after the parallel tests, so
/// what other test classes allocate at the same time is not counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasured
{
    public const string Name = "memory measured";
}
