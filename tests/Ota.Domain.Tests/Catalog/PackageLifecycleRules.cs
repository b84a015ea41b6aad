using Ota.Domain.Catalog;

namespace Ota.Domain.Tests.Catalog;

/// <summary>Release and revoke of a vehicle package: which status each applies to; revoked is for good.</summary>
public sealed class PackageLifecycleRules
{
    private static TotalFullPackage In(PackageStatus status) => new() { Id = 1, Version = "3.1.6", Status = status };

    [Theory]
    [InlineData(PackageStatus.Draft)]
    [InlineData(PackageStatus.Testing)]
    public void ADraftOrTestingPackageIsReleased(PackageStatus status)
    {
        var package = In(status);
        PackageLifecycle.Release(package);
        Assert.Equal(PackageStatus.Released, package.Status);
    }

    [Theory]
    [InlineData(PackageStatus.Released)]
    [InlineData(PackageStatus.Revoked)]
    public void AReleasedOrRevokedPackageIsNotReleasedAgain(PackageStatus status)
    {
        var package = In(status);
        Assert.Throws<InvalidOperationException>(() => PackageLifecycle.Release(package));
        Assert.Equal(status, package.Status);
    }

    [Theory]
    [InlineData(PackageStatus.Testing)]
    [InlineData(PackageStatus.Released)]
    public void ATestingOrReleasedPackageIsRevoked(PackageStatus status)
    {
        var package = In(status);
        PackageLifecycle.Revoke(package);
        Assert.Equal(PackageStatus.Revoked, package.Status);
    }

    [Theory]
    [InlineData(PackageStatus.Draft)]
    [InlineData(PackageStatus.Revoked)]
    public void ADraftIsNotRevokedAndARevokedPackageStaysRevoked(PackageStatus status)
    {
        var package = In(status);
        Assert.Throws<InvalidOperationException>(() => PackageLifecycle.Revoke(package));
        Assert.Equal(status, package.Status);
        Assert.False(PackageLifecycle.CanRelease(PackageStatus.Revoked));
    }
}
