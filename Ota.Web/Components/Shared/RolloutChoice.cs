using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ota.Domain.Tasks.Rollouts;

namespace Ota.Web.Components.Shared;

/// <summary>How the new-task form starts from a rollout plan (SPEC §12).</summary>
public enum RolloutPreset { AllAtOnce, Canary, EngineeringFleetFirst, Custom }

/// <summary>
/// The rollout part of the new-task form: a preset (or a plan written as JSON), the pilot VINs, the notice rate and the
/// execution timeout, made into a checked <see cref="RolloutPlan"/> and said in words.
/// </summary>
public sealed class RolloutChoice
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public RolloutPreset Preset { get; private set; } = RolloutPreset.AllAtOnce;

    /// <summary>The engineering fleet's VINs as pasted: one a line, or separated by commas, semicolons or spaces.</summary>
    public string PilotVins { get; set; } = "";

    /// <summary>The whole plan as JSON (the open API's <c>rollout</c> field), for <see cref="RolloutPreset.Custom"/>.</summary>
    public string CustomJson { get; set; } = "";

    public int? PerMinute { get; set; }
    public double? IncrementFactor { get; set; }
    public int? EverySucceeded { get; set; }
    public int? MaxPerMinute { get; set; }
    public int? TimeoutMinutes { get; set; }

    public static string Title(RolloutPreset preset) => preset switch
    {
        RolloutPreset.AllAtOnce => "All at once",
        RolloutPreset.Canary => "Canary 1 % → 10 % → 100 %",
        RolloutPreset.EngineeringFleetFirst => "Engineering fleet first",
        _ => "Custom (JSON)",
    };

    /// <summary>
    /// Chooses another preset. Custom starts from the plan chosen so far (when it holds), so a preset can be fine-tuned;
    /// it carries the notice rate and the timeout in its JSON from then on.
    /// </summary>
    public void Choose(RolloutPreset preset)
    {
        if (preset == Preset) return;
        if (preset == RolloutPreset.Custom)
        {
            RolloutPlan? current;
            try
            {
                current = Build();
            }
            catch (RolloutPlanException)
            {
                current = null;
            }
            CustomJson = Pretty((current ?? new RolloutPlan { Groups = CanaryGroups }).ToJson());
        }
        Preset = preset;
    }

    /// <summary>
    /// The plan, checked by the rules of SPEC §12; null when every VIN goes at once, unpaced and without a timeout.
    /// A refusal is a <see cref="RolloutPlanException"/> naming the field.
    /// </summary>
    public RolloutPlan? Build()
    {
        if (Preset == RolloutPreset.Custom)
        {
            if (string.IsNullOrWhiteSpace(CustomJson))
                throw new RolloutPlanException("rollout", "Write the plan as JSON, or choose a preset.");
            return RolloutPlan.Parse(CustomJson);
        }
        var rate = Rate();
        IReadOnlyList<RolloutGroupPlan>? groups = Preset switch
        {
            RolloutPreset.Canary => CanaryGroups,
            RolloutPreset.EngineeringFleetFirst => EngineeringGroups(Pilots()),
            _ => rate is null && TimeoutMinutes is null ? null : [new RolloutGroupPlan("everyone", 100)],
        };
        if (groups is null) return null;
        if (Preset == RolloutPreset.EngineeringFleetFirst && groups[0].Vins is not { Count: > 0 })
            throw new RolloutPlanException("rollout.groups[0].vins", "Paste the VINs of the engineering fleet: they get the update first.");
        return RolloutPlanRules.Check(new RolloutPlan { Groups = groups, NoticeRate = rate, ExecutionTimeoutMinutes = TimeoutMinutes });
    }

    /// <summary>The form as it was for <paramref name="plan"/> (a corrected list keeps its task's plan): its preset when it is one, else Custom.</summary>
    public static RolloutChoice From(RolloutPlan? plan)
    {
        var choice = new RolloutChoice
        {
            PerMinute = plan?.NoticeRate?.PerMinute,
            IncrementFactor = plan?.NoticeRate is { IncrementFactor: not 1 } r ? r.IncrementFactor : null,
            EverySucceeded = plan?.NoticeRate?.EverySucceeded,
            MaxPerMinute = plan?.NoticeRate?.MaxPerMinute,
            TimeoutMinutes = plan?.ExecutionTimeoutMinutes,
            PilotVins = string.Join("\n", plan?.Groups.FirstOrDefault()?.Vins ?? []),
        };
        if (plan is null) return choice;
        foreach (var preset in new[] { RolloutPreset.AllAtOnce, RolloutPreset.Canary, RolloutPreset.EngineeringFleetFirst })
        {
            choice.Preset = preset;
            try
            {
                if (choice.Build()?.ToJson() == plan.ToJson()) return choice;
            }
            catch (RolloutPlanException)
            {
                // Not this preset.
            }
        }
        choice.Preset = RolloutPreset.Custom;
        choice.CustomJson = Pretty(plan.ToJson());
        return choice;
    }

    /// <summary>What a plan does, a sentence a group, then the pacing and the timeout; for no plan, what happens without one.</summary>
    public static IReadOnlyList<string> Describe(RolloutPlan? plan)
    {
        if (plan is null)
            return ["Every accepted vehicle is sent the notice as soon as the task is published; nothing pauses the task by itself " +
                    "(an operator can still pause or stop it on the task page)."];
        var lines = new List<string>();
        for (var i = 0; i < plan.Groups.Count; i++) lines.Add(DescribeGroup(plan, i));
        if (plan.NoticeRate is { } rate)
        {
            var ramp = rate.EverySucceeded is { } every && rate.IncrementFactor > 1
                ? $", × {Number(rate.IncrementFactor)} each time {every:N0} more have succeeded"
                : "";
            var cap = rate.MaxPerMinute is { } max ? $", never more than {max:N0} a minute" : "";
            lines.Add($"Notices: at most {rate.PerMinute:N0} a minute{ramp}{cap}.");
        }
        if (plan.ExecutionTimeoutMinutes is { } timeout)
            lines.Add($"A vehicle notified more than {Duration(timeout)} ago without a final status is TimedOut: it counts as failed.");
        return lines;
    }

    /// <summary>One group in words, e.g. "canary: 1 % of the task's vehicles first; the next group opens when 95 % of them succeeded; …".</summary>
    public static string DescribeGroup(RolloutPlan plan, int index)
    {
        var g = plan.Groups[index];
        var previous = index == 0 ? 0 : plan.Groups[index - 1].Percent;
        var last = index == plan.Groups.Count - 1;
        string share;
        if (g.Vins is { Count: > 0 } named)
            share = $"the {named.Count:N0} named vehicle{(named.Count == 1 ? "" : "s")}" +
                    (index == 0 ? (g.Percent == 0 ? " first, and no one else" : $" first (and {Number(g.Percent)} % of the others, as the hash falls)") : $", and the task's vehicles up to {Number(g.Percent)} %");
        else if (index == 0)
            share = g.Percent == 100 ? "every vehicle of the task at once" : $"{Number(g.Percent)} % of the task's vehicles first";
        else
            share = last && g.Percent == 100 ? $"then the rest ({Number(100 - previous)} %)" : $"then up to {Number(g.Percent)} % ({Number(g.Percent - previous)} % more)";
        var parts = new List<string> { $"{g.Name}: {share}" };
        if (!last)
        {
            var open = $"the next group opens when {Number(g.SuccessThreshold)} % of them succeeded";
            if (g.SoakMinutes > 0) open += $" and {Duration(g.SoakMinutes)} have passed since";
            if (g.Approval) open += " and an operator has approved it";
            parts.Add(open);
        }
        parts.Add(g.ErrorThreshold is { } error
            ? $"the task pauses when {Number(error)} % of the finished ones failed (after at least {g.MinFinished:N0})"
            : "failures do not pause the task by themselves");
        return string.Join("; ", parts) + ".";
    }

    /// <summary>The words for the current choice; empty when it does not hold (the refusal says why).</summary>
    public IReadOnlyList<string> Describe()
    {
        try
        {
            return Describe(Build());
        }
        catch (RolloutPlanException)
        {
            return [];
        }
    }

    public static string Duration(int minutes) => minutes switch
    {
        < 60 => $"{minutes} min",
        _ when minutes % (24 * 60) == 0 => $"{minutes / (24 * 60)} day{(minutes == 24 * 60 ? "" : "s")}",
        _ when minutes % 60 == 0 => $"{minutes / 60} h",
        _ => $"{minutes / 60} h {minutes % 60} min",
    };

    private static readonly IReadOnlyList<RolloutGroupPlan> CanaryGroups =
    [
        new("canary", 1, SuccessThreshold: 95, ErrorThreshold: 5, MinFinished: 20),
        new("wave 2", 10, SuccessThreshold: 95, ErrorThreshold: 5, MinFinished: 20),
        new("everyone", 100, ErrorThreshold: 5, MinFinished: 20),
    ];

    /// <summary>
    /// The named engineering vehicles first (with the smallest share a group can have of the others), any failure
    /// pauses, and an operator approves the rest.
    /// </summary>
    private static IReadOnlyList<RolloutGroupPlan> EngineeringGroups(IReadOnlyList<string> pilots) =>
    [
        new("engineering fleet", 0, pilots, SuccessThreshold: 80, ErrorThreshold: 1, MinFinished: 1, Approval: true),
        new("everyone", 100, ErrorThreshold: 5, MinFinished: 20),
    ];

    private List<string> Pilots() =>
        [.. PilotVins.Split([',', ';', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private NoticeRate? Rate()
    {
        if (PerMinute is { } perMinute) return new NoticeRate(perMinute, IncrementFactor ?? 1, EverySucceeded, MaxPerMinute);
        if (IncrementFactor is not null || EverySucceeded is not null || MaxPerMinute is not null)
            throw new RolloutPlanException("rollout.noticeRate.perMinute",
                "rollout.noticeRate.perMinute: give the notices a minute to start from, or leave the notice rate empty.");
        return null;
    }

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Pretty(string json) => JsonNode.Parse(json)!.ToJsonString(Indented);
}
