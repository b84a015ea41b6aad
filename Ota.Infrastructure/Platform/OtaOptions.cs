using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.Platform;

/// <summary>Application-wide settings (section "Ota").</summary>
public sealed class OtaOptions
{
    public const string Section = "Ota";

    /// <summary>Where the run script keeps its data (.data/); demo secrets are written here.</summary>
    public string DataFolder { get; set; } = ".data";

    /// <summary>Name of this app instance, recorded on claimed work so several instances can share it.</summary>
    public string InstanceName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>Redis and Hangfire settings (section "Redis").</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>Redis database for the app's keys and Hangfire storage.</summary>
    [Range(0, 255)]
    public int Database { get; set; }

    /// <summary>Key prefix of the Hangfire storage; instances sharing work share the prefix.</summary>
    [Required]
    public string HangfirePrefix { get; set; } = "ota:hangfire:";

    /// <summary>Hangfire worker threads in this instance.</summary>
    [Range(1, 100)]
    public int HangfireWorkers { get; set; } = 4;

    /// <summary>How often Hangfire looks for delayed jobs whose time has come.</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest an idle Hangfire worker waits for the storage's "new job" message before looking at the queues
    /// itself. That message can be missed (it may arrive just before the worker starts waiting, or while Redis is away),
    /// and the storage's own default of three minutes then left a new job waiting that long.
    /// </summary>
    public TimeSpan HangfireFetchTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
