using System.Text.Json;
using Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tasks;

/// <summary>The task's extension info (ota_task.extension_info, JSON): what a task type needs beyond the common columns.</summary>
public sealed class TaskExtensionInfo
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sampling tasks: their own strategy (full package, no version compare) over the series-model default.</summary>
    public SamplingStrategy? SamplingStrategy { get; set; }

    /// <summary>How many other tasks' not-started task-VINs this task superseded when it was published.</summary>
    public int? SupersededVins { get; set; }

    /// <summary>
    /// The task-level reason codes (and their details) that stop the push job from sending this published task, for
    /// example a package revoked after publishing; null when nothing blocks it. Its VINs stay pending meanwhile.
    /// </summary>
    public string? PushBlockedBy { get; set; }

    public DateTime? PushBlockedAt { get; set; }

    /// <summary>The rollout plan the task was created with (SPEC §12), put into effect when it is published; null sends to every VIN at once.</summary>
    public Rollouts.RolloutPlan? Rollout { get; set; }

    public static string Serialize(TaskExtensionInfo info) => JsonSerializer.Serialize(info, Json);

    public static TaskExtensionInfo Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new TaskExtensionInfo() : JsonSerializer.Deserialize<TaskExtensionInfo>(json, Json) ?? new TaskExtensionInfo();
}
