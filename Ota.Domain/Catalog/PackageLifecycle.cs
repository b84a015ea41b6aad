namespace Ota.Domain.Catalog;

/// <summary>
/// The life of a vehicle package (<see cref="PackageStatus"/>): Draft and Testing packages are released; a Testing or
/// Released package is revoked, for good. Revoking is the kill switch of SPEC §12: the live tasks sending it pause.
/// </summary>
public static class PackageLifecycle
{
    public static bool CanRelease(PackageStatus status) => status is PackageStatus.Draft or PackageStatus.Testing;

    public static bool CanRevoke(PackageStatus status) => status is PackageStatus.Testing or PackageStatus.Released;

    public static void Release(VehiclePackageBase package)
    {
        if (!CanRelease(package.Status))
            throw new InvalidOperationException($"A {package.Status} package cannot be released, only a Draft or Testing one.");
        package.Status = PackageStatus.Released;
    }

    public static void Revoke(VehiclePackageBase package)
    {
        if (!CanRevoke(package.Status))
            throw new InvalidOperationException($"A {package.Status} package cannot be revoked, only a Testing or Released one.");
        package.Status = PackageStatus.Revoked;
    }
}
