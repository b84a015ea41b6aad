namespace Ota.Infrastructure.Platform.Mqtt;

/// <summary>Topic names of vehicle notices.</summary>
public static class NoticeTopics
{
    private const string Prefix = "ota/v1/vehicles/";
    private const string Suffix = "/notices";

    /// <summary>Subscription filter for every vehicle's notices.</summary>
    public const string AllVehicles = Prefix + "+" + Suffix;

    public static string ForVin(string vin) => string.Concat(Prefix, vin, Suffix);

    /// <summary>The VIN segment of a notice topic, or null when the topic is not one.</summary>
    public static string? VinOf(string topic) =>
        topic.StartsWith(Prefix, StringComparison.Ordinal) && topic.EndsWith(Suffix, StringComparison.Ordinal)
        && topic.Length > Prefix.Length + Suffix.Length
            ? topic[Prefix.Length..^Suffix.Length]
            : null;
}
