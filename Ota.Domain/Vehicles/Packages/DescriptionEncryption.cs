namespace Ota.Domain.Vehicles.Packages;

internal static class DescriptionEncryption
{
    public static PackageEncryption? For(MainPackage main, byte[]? packageKey)
    {
        if (!main.Encrypted) return null;
        // Serving an encrypted package without its key leaves the vehicle with files it cannot open: fail the request instead.
        if (packageKey is null)
            throw new ArgumentException($"Package {main.Id} is encrypted; its unwrapped key is required.", nameof(packageKey));
        return PackageEncryption.ForKey(packageKey);
    }
}
