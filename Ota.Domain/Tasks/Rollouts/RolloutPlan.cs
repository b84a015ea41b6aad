using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ota.Domain.Tasks.Rollouts;

/// <summary>
/// A task's rollout plan (SPEC §12): the groups its VINs are released in, how fast notices may leave, and how long a
/// notified VIN may take. Kept on the task (extension info) from creation and put into effect at publish.
/// </summary>
public sealed record RolloutPlan
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public IReadOnlyList<RolloutGroupPlan> Groups { get; init; } = [];

    /// <summary>Notice pacing; null sends as fast as the push job can.</summary>
    public NoticeRate? NoticeRate { get; init; }

    /// <summary>A notified VIN without a final status after this many minutes becomes TimedOut; null never times out.</summary>
    public int? ExecutionTimeoutMinutes { get; init; }

    /// <summary>The plan as stored and as the open API takes it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RolloutPlan FromJson(string json) =>
        JsonSerializer.Deserialize<RolloutPlan>(json, Json) ?? throw new RolloutPlanException("rollout", "The plan is empty.");

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    /// <summary>
    /// Reads a plan as an operator or another system wrote it and checks its rules: a misspelt field, a wrong type or a
    /// broken rule is a <see cref="RolloutPlanException"/> naming the field.
    /// </summary>
    public static RolloutPlan Parse(string json)
    {
        RolloutPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<RolloutPlan>(json, Strict);
        }
        catch (JsonException e)
        {
            var path = "rollout" + (e.Path is { Length: > 1 } p ? p[1..] : "");
            var what = e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "is not a field of a rollout plan"
                : "has the wrong type or form";
            throw new RolloutPlanException(path, $"{path}: {what}.");
        }
        return RolloutPlanRules.Check(plan ?? throw new RolloutPlanException("rollout", "rollout: the plan is empty."));
    }

    /// <summary>The upper bound (exclusive) of each group's share of the hash space <see cref="RolloutAssignment.Buckets"/>.</summary>
    public IReadOnlyList<int> BucketBounds => [.. Groups.Select(g => (int)Math.Round(g.Percent * RolloutAssignment.Buckets / 100))];

    public TimeSpan? ExecutionTimeout => ExecutionTimeoutMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null;
}

/// <summary>One group of a rollout plan; the defaults are SPEC §12's.</summary>
/// <param name="Percent">Cumulative: the share of the task's VINs released once this group opens.</param>
/// <param name="Vins">VINs that must be in this group (a pilot fleet).</param>
/// <param name="SuccessThreshold">The next group opens once this percentage of this group's VINs has succeeded.</param>
/// <param name="ErrorThreshold">The task pauses when this percentage of the group's finished VINs has failed; null never pauses.</param>
/// <param name="MinFinished">How many of the group's VINs must have finished before the error threshold applies.</param>
/// <param name="SoakMinutes">How long the group must stay at its success threshold before the next group opens.</param>
/// <param name="Approval">Whether an operator must approve the next group.</param>
public sealed record RolloutGroupPlan(
    string Name,
    double Percent,
    IReadOnlyList<string>? Vins = null,
    double SuccessThreshold = 100,
    double? ErrorThreshold = null,
    int MinFinished = 1,
    int SoakMinutes = 0,
    bool Approval = false);

/// <summary>Notice pacing: <see cref="PerMinute"/> at first, times <see cref="IncrementFactor"/> each time <see cref="EverySucceeded"/> more VINs have succeeded, up to <see cref="MaxPerMinute"/>.</summary>
public sealed record NoticeRate(int PerMinute, double IncrementFactor = 1, int? EverySucceeded = null, int? MaxPerMinute = null)
{
    /// <summary>The notices a minute allowed once <paramref name="succeeded"/> of the task's VINs have succeeded.</summary>
    public int CurrentPerMinute(long succeeded)
    {
        var cap = MaxPerMinute ?? int.MaxValue;
        if (EverySucceeded is not { } step || step <= 0 || IncrementFactor <= 1) return Math.Min(PerMinute, cap);
        var steps = succeeded / step;
        var rate = PerMinute * Math.Pow(IncrementFactor, Math.Min(steps, 64));
        return (int)Math.Min(rate, cap);
    }
}

/// <summary>A rollout plan that breaks a rule of SPEC §12: <see cref="Code"/> is ROLLOUT_INVALID (or ROLLOUT_VIN_NOT_IN_TASK) and <see cref="Field"/> names the field.</summary>
public sealed class RolloutPlanException(string field, string message, string code = RolloutPlanException.Invalid) : Exception(message)
{
    public const string Invalid = "ROLLOUT_INVALID";
    public const string VinNotInTask = "ROLLOUT_VIN_NOT_IN_TASK";

    public string Code { get; } = code;

    /// <summary>The JSON path of the offending field, for example <c>rollout.groups[1].percent</c>.</summary>
    public string Field { get; } = field;
}
