using System.ComponentModel.DataAnnotations;

namespace Ota.Infrastructure.Compensation;

/// <summary>Settings of the compensation job, OtaTaskCompensationJob (section "Compensation").</summary>
public sealed class CompensationOptions
{
    public const string Section = "Compensation";

    /// <summary>Hangfire cron in <see cref="TimeZone"/>; daily at 07:00 and 16:00 by default.</summary>
    [Required]
    public string Cron { get; set; } = "0 7,16 * * *";

    /// <summary>IANA (or Windows) time zone id the cron is read in.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>Resends a task-VIN gets at most; a VIN flagged again after this many is closed instead.</summary>
    [Range(0, 100)]
    public int MaxResendCount { get; set; } = 3;
}
