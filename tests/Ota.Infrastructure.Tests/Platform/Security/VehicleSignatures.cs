using System.Security.Cryptography;
using System.Text;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.Tests.Platform.Security;

public class VehicleSignatures
{
    private const string Secret = "vehicle-secret-42";
    private const long Now = 1_760_000_000;
    private static readonly byte[] Body = """{"vin":"LSVAU2180N2183294","events":[]}"""u8.ToArray();
    private readonly FixedClock _clock = FixedClock.AtUnixSeconds(Now);

    [Fact]
    public void ComputeMatchesAnIndependentlyComputedHmac()
    {
        var timestamp = Now.ToString();
        var message = Encoding.UTF8.GetBytes(timestamp + "\n").Concat(Body).ToArray();
        var expected = string.Concat(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), message).Select(b => b.ToString("x2")));

        Assert.Equal(expected, VehicleSignature.Compute(Secret, timestamp, Body));
    }

    [Fact]
    public void AcceptsAFreshCorrectSignature()
    {
        var timestamp = Now.ToString();
        var signature = VehicleSignature.Compute(Secret, timestamp, Body);

        Assert.Equal(SignatureCheck.Ok, VehicleSignature.Verify(Secret, timestamp, signature, Body, _clock));
    }

    [Theory]
    [InlineData(null, "abc")]
    [InlineData("", "abc")]
    [InlineData("1760000000", null)]
    [InlineData("1760000000", "")]
    public void ReportsMissingHeaders(string? timestamp, string? signature) =>
        Assert.Equal(SignatureCheck.MissingHeaders, VehicleSignature.Verify(Secret, timestamp, signature, Body, _clock));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1760000000")]
    [InlineData("1760000000.5")]
    [InlineData(" 1760000000")]
    [InlineData("99999999999999999999999")]
    public void ReportsATimestampThatIsNotUnixSeconds(string timestamp)
    {
        var signature = VehicleSignature.Compute(Secret, timestamp, Body);
        Assert.Equal(SignatureCheck.BadTimestamp, VehicleSignature.Verify(Secret, timestamp, signature, Body, _clock));
    }

    [Theory]
    [InlineData(-301, SignatureCheck.Skewed)]
    [InlineData(301, SignatureCheck.Skewed)]
    [InlineData(-300, SignatureCheck.Ok)]
    [InlineData(300, SignatureCheck.Ok)]
    public void AllowsThreeHundredSecondsOfSkew(int offsetSeconds, SignatureCheck expected)
    {
        var timestamp = (Now + offsetSeconds).ToString();
        var signature = VehicleSignature.Compute(Secret, timestamp, Body);

        Assert.Equal(expected, VehicleSignature.Verify(Secret, timestamp, signature, Body, _clock));
    }

    [Fact]
    public void HonoursAConfiguredSkew()
    {
        var timestamp = (Now - 61).ToString();
        var signature = VehicleSignature.Compute(Secret, timestamp, Body);

        Assert.Equal(SignatureCheck.Skewed, VehicleSignature.Verify(Secret, timestamp, signature, Body, _clock, TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void RejectsASignatureOverADifferentBody()
    {
        var timestamp = Now.ToString();
        var signature = VehicleSignature.Compute(Secret, timestamp, Body);
        var altered = Body.ToArray();
        altered[^3] ^= 0x01;

        Assert.Equal(SignatureCheck.BadSignature, VehicleSignature.Verify(Secret, timestamp, signature, altered, _clock));
    }

    [Fact]
    public void RejectsASignatureMadeWithAnotherSecret()
    {
        var timestamp = Now.ToString();
        var signature = VehicleSignature.Compute("someone-else", timestamp, Body);

        Assert.Equal(SignatureCheck.BadSignature, VehicleSignature.Verify(Secret, timestamp, signature, Body, _clock));
    }

    [Fact]
    public void RejectsASignatureForAnotherTimestamp()
    {
        var signature = VehicleSignature.Compute(Secret, (Now - 1).ToString(), Body);

        Assert.Equal(SignatureCheck.BadSignature, VehicleSignature.Verify(Secret, Now.ToString(), signature, Body, _clock));
    }

    [Theory]
    [InlineData("zz")]
    [InlineData("0123456789abcdef")]
    [InlineData("g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void RejectsMalformedSignatures(string signature) =>
        Assert.Equal(SignatureCheck.BadSignature, VehicleSignature.Verify(Secret, Now.ToString(), signature, Body, _clock));
}
