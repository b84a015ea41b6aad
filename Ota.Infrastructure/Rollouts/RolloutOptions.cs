namespace Ota.Infrastructure.Rollouts;

/// <summary>Settings of the rollout gates (section "Rollout", SPEC §12).</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    /// <summary>
    /// How often every instance evaluates the live tasks' gates, error thresholds, timeouts and packages: a threshold
    /// crossed by a status report pauses its task within this long of the report's follow-up.
    /// </summary>
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether this instance evaluates (every instance does by default; a tool process may not).</summary>
    public bool Evaluate { get; set; } = true;
}
