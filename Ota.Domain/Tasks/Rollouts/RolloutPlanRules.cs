namespace Ota.Domain.Tasks.Rollouts;

/// <summary>The rules a rollout plan must keep (SPEC §12); the first broken one is refused with the field named.</summary>
public static class RolloutPlanRules
{
    public const int MaxGroups = 20;
    public const int MaxNameLength = 64;
    public const int MaxPilotVins = 10_000;

    /// <summary>Throws <see cref="RolloutPlanException"/> for the first rule <paramref name="plan"/> breaks; returns it with its VINs normalized.</summary>
    public static RolloutPlan Check(RolloutPlan plan)
    {
        const string root = "rollout";
        if (plan.Groups is not { Count: > 0 } groups) throw Invalid($"{root}.groups", "A plan needs at least one group; the last one at 100 %.");
        if (groups.Count > MaxGroups) throw Invalid($"{root}.groups", $"A plan has at most {MaxGroups} groups.");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pilots = new Dictionary<string, int>(StringComparer.Ordinal);
        var normalized = new List<RolloutGroupPlan>(groups.Count);
        var previous = 0.0;
        var previousBound = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            var at = $"{root}.groups[{i}]";
            if (g is null) throw Invalid(at, "A group cannot be null.");
            if (string.IsNullOrWhiteSpace(g.Name)) throw Invalid($"{at}.name", "Every group needs a name.");
            if (g.Name.Trim().Length > MaxNameLength) throw Invalid($"{at}.name", $"A group name has at most {MaxNameLength} characters.");
            if (!names.Add(g.Name.Trim())) throw Invalid($"{at}.name", $"Two groups are called '{g.Name.Trim()}'.");
            // A first group of named VINs alone (an engineering fleet) may take no share of the others: percent 0.
            var namedOnly = i == 0 && g.Percent == 0 && g.Vins is { Count: > 0 };
            if (double.IsNaN(g.Percent) || (g.Percent <= previous && !namedOnly) || g.Percent > 100)
                throw Invalid($"{at}.percent", $"percent is cumulative: above the previous group's {previous} and at most 100 (got {g.Percent}); " +
                    "only a first group that names its VINs may be 0.");
            var bound = (int)Math.Round(g.Percent * RolloutAssignment.Buckets / 100);
            if (bound <= previousBound && !namedOnly)
                throw Invalid($"{at}.percent", $"percent {g.Percent} is too close to the previous group's {previous} (0.01 % is the finest step).");
            if (i == groups.Count - 1 && g.Percent != 100) throw Invalid($"{at}.percent", $"The last group releases every VIN: its percent is 100 (got {g.Percent}).");
            if (!InPercent(g.SuccessThreshold)) throw Invalid($"{at}.successThreshold", $"successThreshold is a percentage from 0 to 100 (got {g.SuccessThreshold}).");
            if (g.ErrorThreshold is { } error && (!InPercent(error) || error == 0))
                throw Invalid($"{at}.errorThreshold", $"errorThreshold is a percentage above 0 and at most 100 (got {error}).");
            if (g.MinFinished < 1) throw Invalid($"{at}.minFinished", $"minFinished is at least 1 (got {g.MinFinished}).");
            if (g.SoakMinutes is < 0 or > 7 * 24 * 60) throw Invalid($"{at}.soakMinutes", $"soakMinutes is from 0 to 10080, a week (got {g.SoakMinutes}).");
            var vins = new List<string>();
            for (var v = 0; v < (g.Vins?.Count ?? 0); v++)
            {
                var entry = g.Vins![v];
                if (Vin.Normalize(entry) is not { } vin) throw Invalid($"{at}.vins[{v}]", $"'{entry}' is not a VIN.");
                if (pilots.TryGetValue(vin, out var other)) throw Invalid($"{at}.vins[{v}]", $"{vin} is named in group {other} already.");
                pilots[vin] = i;
                vins.Add(vin);
            }
            if (pilots.Count > MaxPilotVins) throw Invalid($"{at}.vins", $"A plan names at most {MaxPilotVins} VINs.");
            normalized.Add(g with { Name = g.Name.Trim(), Vins = vins.Count == 0 ? null : vins });
            previous = g.Percent;
            previousBound = bound;
        }
        if (plan.NoticeRate is { } rate)
        {
            if (rate.PerMinute < 1) throw Invalid($"{root}.noticeRate.perMinute", $"perMinute is at least 1 (got {rate.PerMinute}).");
            if (double.IsNaN(rate.IncrementFactor) || rate.IncrementFactor < 1 || rate.IncrementFactor > 100)
                throw Invalid($"{root}.noticeRate.incrementFactor", $"incrementFactor is from 1 to 100 (got {rate.IncrementFactor}).");
            if (rate.EverySucceeded is < 1) throw Invalid($"{root}.noticeRate.everySucceeded", $"everySucceeded is at least 1 (got {rate.EverySucceeded}).");
            if (rate.IncrementFactor > 1 && rate.EverySucceeded is null)
                throw Invalid($"{root}.noticeRate.everySucceeded", "An incrementFactor above 1 needs everySucceeded: after how many more successes the rate grows.");
            if (rate.MaxPerMinute is { } max && max < rate.PerMinute)
                throw Invalid($"{root}.noticeRate.maxPerMinute", $"maxPerMinute ({max}) is below perMinute ({rate.PerMinute}).");
        }
        if (plan.ExecutionTimeoutMinutes is < 1 or > 365 * 24 * 60)
            throw Invalid($"{root}.executionTimeoutMinutes", $"executionTimeoutMinutes is from 1 to 525600, a year (got {plan.ExecutionTimeoutMinutes}).");
        return plan with { Groups = normalized };
    }

    private static bool InPercent(double value) => !double.IsNaN(value) && value is >= 0 and <= 100;

    private static RolloutPlanException Invalid(string field, string message) => new(field, $"{field}: {message}");
}
