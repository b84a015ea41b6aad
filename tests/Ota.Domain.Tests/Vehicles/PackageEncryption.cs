using Sut = Ota.Domain.Vehicles.Packages.PackageEncryption;

namespace Ota.Domain.Tests.Vehicles;

public class PackageEncryption
{
    [Theory]
    [InlineData(16, "AES-128-GCM")]
    [InlineData(24, "AES-192-GCM")]
    [InlineData(32, "AES-256-GCM")]
    public void NamesAlgorithmFromKeyLength(int length, string algorithm)
    {
        var key = new byte[length];
        key[0] = 0xFF;

        var encryption = Sut.ForKey(key);

        Assert.Equal(algorithm, encryption.Algorithm);
        Assert.Equal(key, Convert.FromBase64String(encryption.Key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void RejectsKeyOfAnotherLength(int length)
    {
        Assert.Throws<ArgumentException>(() => Sut.ForKey(new byte[length]));
    }
}
