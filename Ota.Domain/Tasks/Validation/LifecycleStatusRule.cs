namespace Ota.Domain.Tasks.Validation;

/// <summary>Which lifecycle statuses a task type accepts (STATUS_NOT_ALLOWED otherwise), with words for operators.</summary>
public sealed class LifecycleStatusRule
{
    private readonly int _allowed; // one bit per LifecycleStatus, so the per-VIN check is a mask test

    private LifecycleStatusRule(int allowed, string description)
    {
        _allowed = allowed;
        Description = description;
    }

    public static LifecycleStatusRule Any { get; } = new(~0, "any");

    public static LifecycleStatusRule OneOf(params LifecycleStatus[] statuses)
    {
        var mask = 0;
        foreach (var status in statuses) mask |= Bit(status);
        return new(mask, "one of " + string.Join(", ", statuses));
    }

    /// <summary>The given status or an earlier one (lifecycle statuses are ordered).</summary>
    public static LifecycleStatusRule AtMost(LifecycleStatus latest)
    {
        var mask = 0;
        foreach (var status in Enum.GetValues<LifecycleStatus>())
            if (status <= latest) mask |= Bit(status);
        return new(mask, $"{latest} or earlier ({string.Join(", ", Enum.GetValues<LifecycleStatus>().Where(s => s <= latest))})");
    }

    public string Description { get; }

    public bool Allows(LifecycleStatus status) => (_allowed & Bit(status)) != 0;

    public override string ToString() => Description;

    private static int Bit(LifecycleStatus status) => 1 << (int)status;
}
