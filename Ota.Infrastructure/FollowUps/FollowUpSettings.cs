using System.ComponentModel.DataAnnotations;
using Ota.Domain;
using Ota.Domain.Events.FollowUps;

namespace Ota.Infrastructure.FollowUps;

/// <summary>
/// Section <c>FollowUps</c>: which of the actions after an UpgradeStatus report run and with which lists (turned into the
/// domain's <see cref="FollowUpOptions"/>; unset lists keep the domain defaults), and how the worker retries them.
/// </summary>
public sealed class FollowUpSettings
{
    public const string Section = "FollowUps";

    /// <summary>Item 1: error types that count as failures (default: all six).</summary>
    public ErrorType[]? FailureErrorTypes { get; set; }

    /// <summary>Item 3: error types in a vehicle's history that ask for a log read-back.</summary>
    public ErrorType[]? LogReplayErrorTypes { get; set; }

    /// <summary>Item 4: inner error codes for which a resend cannot help.</summary>
    public string[]? NonRetryableInnerErrorCodes { get; set; }

    public TimeSpan? LogReadBackBefore { get; set; }
    public TimeSpan? LogReadBackAfter { get; set; }

    public bool OperationsAssistantMessageEnabled { get; set; } = true;
    public bool WorkOrderEnabled { get; set; } = true;
    public bool LogReadBackEnabled { get; set; } = true;
    public bool CompensationEnabled { get; set; } = true;
    public bool RecordErrorTypeEnabled { get; set; } = true;
    public bool MobilePushEnabled { get; set; } = true;
    public bool FirmwareVersionUpdateEnabled { get; set; } = true;
    public bool PublishToStreamEnabled { get; set; } = true;
    public bool FactoryGroupMessageEnabled { get; set; } = true;

    /// <summary>Who the message service sends "cannot compensate" to.</summary>
    [Required]
    public string CannotCompensateRecipient { get; set; } = "ota-operations";

    /// <summary>The upgrade-status stream (SPEC §7 item 7).</summary>
    [Required]
    public string StreamKey { get; set; } = "ota:upgrade-status";

    /// <summary>The stream is trimmed (approximately) to this many entries.</summary>
    [Range(1000, long.MaxValue)]
    public long StreamMaxLength { get; set; } = 1_000_000;

    /// <summary>How often the worker looks for due work when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Status reports decided together, at most: a batch is written in the same few statements however big it is, so a
    /// backlog is worked off in big batches while a loop that keeps up decides what just arrived (issue 22).
    /// </summary>
    [Range(1, 5000)]
    public int DecideBatchSize { get; set; } = 1000;

    /// <summary>Deliveries (webhooks, log service, push, message service, stream) in flight at once.</summary>
    [Range(1, 256)]
    public int DeliveryConcurrency { get; set; } = 16;

    /// <summary>Attempts before a follow-up is given up (state Failed); each attempt already includes the adapters' own quick retries.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait before the second attempt; it doubles for each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a claimed follow-up stays with its instance; longer than one delivery with all its HTTP retries.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    public FollowUpOptions ToDecisionOptions()
    {
        var defaults = new FollowUpOptions();
        return defaults with
        {
            FailureErrorTypes = FailureErrorTypes ?? defaults.FailureErrorTypes,
            LogReplayErrorTypes = LogReplayErrorTypes ?? defaults.LogReplayErrorTypes,
            NonRetryableInnerErrorCodes = NonRetryableInnerErrorCodes ?? defaults.NonRetryableInnerErrorCodes,
            LogReadBackBefore = LogReadBackBefore ?? defaults.LogReadBackBefore,
            LogReadBackAfter = LogReadBackAfter ?? defaults.LogReadBackAfter,
            OperationsAssistantMessageEnabled = OperationsAssistantMessageEnabled,
            WorkOrderEnabled = WorkOrderEnabled,
            LogReadBackEnabled = LogReadBackEnabled,
            CompensationEnabled = CompensationEnabled,
            RecordErrorTypeEnabled = RecordErrorTypeEnabled,
            MobilePushEnabled = MobilePushEnabled,
            FirmwareVersionUpdateEnabled = FirmwareVersionUpdateEnabled,
            PublishToStreamEnabled = PublishToStreamEnabled,
            FactoryGroupMessageEnabled = FactoryGroupMessageEnabled,
        };
    }

    /// <summary>Wait after attempt <paramref name="attempts"/> failed.</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(RetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay;
    }
}
