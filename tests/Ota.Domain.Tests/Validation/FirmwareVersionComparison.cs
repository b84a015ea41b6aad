namespace Ota.Domain.Tests.Validation;

/// <summary><see cref="FirmwareVersion.TryCompare"/>, the allocation-free comparison the vehicle phase uses.</summary>
public class FirmwareVersionComparison
{
    [Theory]
    [InlineData("3.1.10", "3.1.9", 1)]
    [InlineData("3.1.9", "3.1.10", -1)]
    [InlineData("3.1.5", "3.1.5", 0)]
    [InlineData("3.1.5", "3.1.5.0", 0)]
    [InlineData("3.1.5.1", "3.1.5", 1)]
    [InlineData("0", "0.0.0", 0)]
    [InlineData(" 2.2.0 ", "2.2.0", 0)]
    [InlineData("10.0.0", "9.99.99", 1)]
    public void ComparesSegmentsNumerically(string left, string right, int expected)
    {
        Assert.True(FirmwareVersion.TryCompare(left, right, out var comparison));
        Assert.Equal(expected, Math.Sign(comparison));
        Assert.Equal(expected, Math.Sign(FirmwareVersion.Parse(left).CompareTo(FirmwareVersion.Parse(right))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("1..2")]
    [InlineData("1.2.")]
    [InlineData(".1.2")]
    [InlineData("1.a.2")]
    [InlineData("1.-2.3")]
    [InlineData("1.2.3 4")]
    [InlineData("1234567890.1.1")]
    public void RefusesWhatTryParseRefuses(string text)
    {
        Assert.False(FirmwareVersion.TryParse(text, out _));
        Assert.False(FirmwareVersion.TryCompare(text, "1.1.1", out _));
        Assert.False(FirmwareVersion.TryCompare("1.1.1", text, out _));
    }

    [Fact]
    public void RefusesMalformedTailAfterADifference()
    {
        Assert.False(FirmwareVersion.TryCompare("2.1.x", "1.1.1", out _));
    }
}
