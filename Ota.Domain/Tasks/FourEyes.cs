namespace Ota.Domain.Tasks;

/// <summary>
/// Four-eyes publishing: by configuration, a formal task (not a test task) that would send to more than a number of
/// vehicles is published only once a second operator approves it; both names are kept.
/// </summary>
public static class FourEyes
{
    /// <summary>Whether publishing <paramref name="vehicles"/> vehicles of a task of this type needs an approval; null <paramref name="aboveVehicles"/> turns the rule off.</summary>
    public static bool Required(TaskType type, long vehicles, int? aboveVehicles) =>
        type != TaskType.Test && aboveVehicles is { } limit && vehicles > limit;

    /// <summary>Why <paramref name="approver"/> cannot approve what <paramref name="requestedBy"/> asked for, or null when they can.</summary>
    public static string? WhyNotApprover(string requestedBy, string approver) =>
        string.Equals(requestedBy, approver, StringComparison.OrdinalIgnoreCase)
            ? $"{approver} asked for this publishing: a second operator approves it."
            : null;
}
