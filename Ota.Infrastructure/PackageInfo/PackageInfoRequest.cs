namespace Ota.Infrastructure.PackageInfo;

/// <summary>The body of <c>POST /api/vehicle/v1/package-info</c> (SPEC §7), checked.</summary>
/// <param name="Vin">Normalised, and the VIN the request was signed for.</param>
/// <param name="TaskId">The task the vehicle was notified of; null when it asks on its own.</param>
public sealed record PackageInfoRequest(string Vin, string CurrentVersion, string TargetVersion, long? TaskId);
