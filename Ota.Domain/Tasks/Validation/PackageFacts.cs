namespace Ota.Domain.Tasks.Validation;

/// <summary>
/// The package (and baseline) found for a task's (series-model, target version), gathered by the infrastructure.
/// OTA1: the full package in ota_package_total_full, and the baseline recorded for that series-model and version
/// (ota_baseline), since OTA1 packages link no baseline. OTA2: the package in ota_package and the baseline it links.
/// </summary>
/// <param name="Exists">A package was found.</param>
/// <param name="Status">The package's status; only OTA1 has a status rule.</param>
/// <param name="Baseline">Null when no baseline is known for the package.</param>
public sealed record PackageFacts(bool Exists, PackageStatus? Status, BaselineFacts? Baseline)
{
    public static PackageFacts NotFound { get; } = new(false, null, null);

    public static PackageFacts Found(PackageStatus status, BaselineFacts? baseline = null) => new(true, status, baseline);
}

/// <summary>A baseline as validation sees it: whether it is formal, and its description (ota_baseline_description), if any.</summary>
public sealed record BaselineFacts(bool IsFormal, string? Description)
{
    public bool HasDescription => !string.IsNullOrWhiteSpace(Description);
}
