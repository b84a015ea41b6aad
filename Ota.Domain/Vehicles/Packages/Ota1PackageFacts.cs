namespace Ota.Domain.Vehicles.Packages;

/// <summary>Everything an OTA1 package description is composed from.</summary>
/// <param name="Delta">The delta package from the vehicle's current version to the target, when one exists.</param>
/// <param name="IgnoredEcuCodes">ECUs the vehicle's config word makes it ignore (<see cref="VariantDefinition.IgnoredEcus"/>).</param>
public sealed record Ota1PackageFacts(
    PackageRequest Request,
    Ota1FullPackageFact Full,
    Ota1DeltaPackageFact? Delta,
    ResolvedStrategy Strategy,
    IReadOnlySet<string> IgnoredEcuCodes);
