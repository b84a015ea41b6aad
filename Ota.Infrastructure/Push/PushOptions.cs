using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.Push;

/// <summary>Settings of the push job, OtaTaskInfoJob (section "Push").</summary>
public sealed class PushOptions
{
    public const string Section = "Push";

    /// <summary>When the push job looks for tasks whose time has come (Hangfire cron, UTC); every minute by default.</summary>
    [Required]
    public string Cron { get; set; } = "* * * * *";

    /// <summary>Task-VINs claimed, validated, sent and recorded together.</summary>
    [Range(1, 100_000)]
    public int ChunkSize { get; set; } = 5_000;

    /// <summary>
    /// Chunks pushed at once across every app instance: each run starts this many worker jobs, and a worker that finds
    /// every slot taken (by workers of an earlier run or another instance) ends at once.
    /// </summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>
    /// How long a claim on a chunk holds. An instance that dies loses its chunks to the others after this; a worker
    /// starts no new batch once half of it has passed, so a live claim never runs out while sending.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A worker job hands over to the next run after this long, so no Hangfire job runs for hours.</summary>
    public TimeSpan WorkerTimeBudget { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Notices per second this instance sends at most (a rollout rate; 0 means as fast as the broker takes them).</summary>
    [Range(0, 10_000_000)]
    public int MaxNoticesPerSecond { get; set; }
}
