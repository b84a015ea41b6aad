using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Tests.Platform.Security;

public class ApiKeyHashing
{
    [Fact]
    public void GeneratesAPrefixedUrlSafeKeyWithItsHashAndDisplayPrefix()
    {
        var created = ApiKeyHasher.Generate();

        Assert.Matches(new Regex("^ota_[A-Za-z0-9_-]{32}$"), created.Key);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key))), created.Hash);
        Assert.Equal(created.Key[..8], created.DisplayPrefix);
    }

    [Fact]
    public void GeneratesADifferentKeyEachTime()
    {
        var keys = Enumerable.Range(0, 100).Select(_ => ApiKeyHasher.Generate().Key).ToHashSet();
        Assert.Equal(100, keys.Count);
    }

    [Fact]
    public void MatchesOnlyTheKeyThatWasHashed()
    {
        var created = ApiKeyHasher.Generate();
        var other = ApiKeyHasher.Generate();

        Assert.True(ApiKeyHasher.Matches(created.Key, created.Hash));
        Assert.False(ApiKeyHasher.Matches(other.Key, created.Hash));
        Assert.False(ApiKeyHasher.Matches(created.Key[..^1], created.Hash));
        Assert.False(ApiKeyHasher.Matches("", created.Hash));
        Assert.False(ApiKeyHasher.Matches(null, created.Hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-hash")]
    [InlineData("ZZ23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void TreatsAMalformedStoredHashAsNoMatch(string storedHash) =>
        Assert.False(ApiKeyHasher.Matches(ApiKeyHasher.Generate().Key, storedHash));

    [Fact]
    public void KeepsTheKeyOutOfItsTextForm()
    {
        var created = ApiKeyHasher.Generate();
        Assert.DoesNotContain(created.Key, created.ToString());
    }
}
