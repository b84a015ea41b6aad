using System.Security.Cryptography;
using Ota.Infrastructure.Platform.Keys;

namespace Ota.Infrastructure.Tests.Platform.Keys;

public class AesKeyWrap
{
    private readonly AesKeyWrapService _service = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void RoundTripsAGeneratedKey()
    {
        var key = _service.GenerateKey();

        var wrapped = _service.Wrap(key);

        Assert.StartsWith("kw1:", wrapped);
        Assert.DoesNotContain(Convert.ToBase64String(key), wrapped);
        Assert.Equal(key, _service.Unwrap(wrapped));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void RoundTripsKeysOfAnyLength(int length)
    {
        var key = RandomNumberGenerator.GetBytes(length);
        Assert.Equal(key, _service.Unwrap(_service.Wrap(key)));
    }

    [Fact]
    public void GeneratesDistinct256BitKeys()
    {
        var first = _service.GenerateKey();
        var second = _service.GenerateKey();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    // RFC 5649 section 6: the two published examples (192-bit key-encryption key).
    [Theory]
    [InlineData("c37b7e6492584340bed12207808941155068f738", "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")]
    [InlineData("466f7250617369", "afbeb0f07dfbf5419200f2ccb50bb24f")]
    public void MatchesTheRfc5649Examples(string keyHex, string wrappedHex)
    {
        var service = new AesKeyWrapService(Convert.FromHexString("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8"));

        var wrapped = service.Wrap(Convert.FromHexString(keyHex));

        Assert.Equal("kw1:" + Convert.ToBase64String(Convert.FromHexString(wrappedHex)), wrapped);
        Assert.Equal(Convert.FromHexString(keyHex), service.Unwrap(wrapped));
    }

    [Fact]
    public void WrapsAsDotNetsOwnKeyWrapDoesForEveryLength()
    {
        var masterKey = RandomNumberGenerator.GetBytes(32);
        using var service = new AesKeyWrapService(masterKey);
        using var reference = Aes.Create();
        reference.Key = masterKey;
        for (var length = 1; length <= 200; length++)
        {
            var key = RandomNumberGenerator.GetBytes(length);
            var expected = reference.EncryptKeyWrapPadded(key);

            Assert.Equal("kw1:" + Convert.ToBase64String(expected), service.Wrap(key));
            Assert.Equal(key, service.UnwrapOnce("kw1:" + Convert.ToBase64String(expected)));
        }
    }

    [Fact]
    public void WrapsManyKeysOfMixedLengthsAtOnceAsEachAlone()
    {
        var masterKey = RandomNumberGenerator.GetBytes(32);
        using var service = new AesKeyWrapService(masterKey);
        using var reference = Aes.Create();
        reference.Key = masterKey;
        var keys = Enumerable.Range(0, 500).Select(i => RandomNumberGenerator.GetBytes(1 + i * 7 % 90)).ToArray();

        var wrapped = service.WrapAll(keys);

        Assert.Equal(keys.Select(k => "kw1:" + Convert.ToBase64String(reference.EncryptKeyWrapPadded(k))), wrapped);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(33)]
    public void RejectsAChangeOfAnyByte(int length)
    {
        var wrapped = Convert.FromBase64String(_service.Wrap(RandomNumberGenerator.GetBytes(length))["kw1:".Length..]);
        for (var at = 0; at < wrapped.Length; at++)
        {
            var tampered = (byte[])wrapped.Clone();
            tampered[at] ^= 0x01;
            Assert.Throws<KeyUnwrapException>(() => _service.UnwrapOnce("kw1:" + Convert.ToBase64String(tampered)));
        }
    }

    [Fact]
    public void WrapsAndUnwrapsFromManyThreadsAtOnce()
    {
        var keys = Enumerable.Range(0, 2000).Select(i => RandomNumberGenerator.GetBytes(16 + i % 40)).ToArray();
        var wrapped = new string[keys.Length];

        Parallel.For(0, keys.Length, i => wrapped[i] = _service.Wrap(keys[i]));
        var unwrapped = new byte[keys.Length][];
        Parallel.For(0, keys.Length, i => unwrapped[i] = _service.UnwrapOnce(wrapped[i]));

        Assert.Equal(keys, unwrapped);
    }

    [Fact]
    public void UnwrapsAgainToTheSameKeyAndACallerChangingItsCopyChangesNoOtherCallers()
    {
        var key = _service.GenerateKey();
        var wrapped = _service.Wrap(key);

        var first = _service.Unwrap(wrapped);
        Array.Clear(first);

        Assert.Equal(key, _service.Unwrap(wrapped));
        Assert.Equal(key, _service.Unwrap(wrapped));
    }

    [Fact]
    public void RejectsATamperedValueEveryTimeItIsAsked()
    {
        var wrapped = _service.Wrap(_service.GenerateKey());
        var cipher = Convert.FromBase64String(wrapped["kw1:".Length..]);
        cipher[5] ^= 0x40;
        var tampered = "kw1:" + Convert.ToBase64String(cipher);

        Assert.Equal(32, _service.Unwrap(wrapped).Length);
        Assert.Throws<KeyUnwrapException>(() => _service.Unwrap(tampered));
        Assert.Throws<KeyUnwrapException>(() => _service.Unwrap(tampered));
    }

    [Fact]
    public void RejectsATamperedValue()
    {
        var wrapped = _service.Wrap(_service.GenerateKey());
        var cipher = Convert.FromBase64String(wrapped["kw1:".Length..]);
        cipher[5] ^= 0x40;

        Assert.Throws<KeyUnwrapException>(() => _service.Unwrap("kw1:" + Convert.ToBase64String(cipher)));
    }

    [Fact]
    public void RejectsAValueWrappedUnderAnotherMasterKey()
    {
        var wrapped = new AesKeyWrapService(RandomNumberGenerator.GetBytes(32)).Wrap(_service.GenerateKey());

        Assert.Throws<KeyUnwrapException>(() => _service.Unwrap(wrapped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("kw2:AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("kw1:not base64!")]
    [InlineData("kw1:AAAAAAAAAAA=")]
    [InlineData("kw1:AAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    public void RejectsMalformedValues(string wrapped) =>
        Assert.Throws<KeyUnwrapException>(() => _service.Unwrap(wrapped));
}
