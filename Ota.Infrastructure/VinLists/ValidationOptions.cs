using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.VinLists;

/// <summary>Settings of fleet-scale validation (section "Validation").</summary>
public sealed class ValidationOptions
{
    public const string Section = "Validation";

    /// <summary>VINs per chunk: one worker validates one chunk at a time, in one set-based query.</summary>
    [Range(1, 1_000_000)]
    public int ChunkSize { get; set; } = 50_000;

    /// <summary>Chunks validated at once when a run is validated in-process (open API calls).</summary>
    [Range(1, 32)]
    public int InlineParallelism { get; set; } = 2;

    /// <summary>How long a worker's claim on a chunk holds; an instance that dies loses its chunks after this.</summary>
    public TimeSpan ChunkLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest VIN list accepted in one task.</summary>
    [Range(1, 10_000_000)]
    public int MaxEntries { get; set; } = 2_000_000;
}
