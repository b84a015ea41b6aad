using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class VinRejectionCodes
{
    [Theory]
    [InlineData(VinRejection.Malformed, ReasonCodes.VinMalformed)]
    [InlineData(VinRejection.Duplicate, ReasonCodes.VinDuplicate)]
    [InlineData(VinRejection.VehicleNotFound, ReasonCodes.VehicleNotFound)]
    [InlineData(VinRejection.SeriesModelMismatch, ReasonCodes.SeriesModelMismatch)]
    [InlineData(VinRejection.PlatformMismatch, ReasonCodes.PlatformMismatch)]
    [InlineData(VinRejection.StatusNotAllowed, ReasonCodes.StatusNotAllowed)]
    [InlineData(VinRejection.Blacklisted, ReasonCodes.Blacklisted)]
    [InlineData(VinRejection.UsageMismatch, ReasonCodes.UsageMismatch)]
    [InlineData(VinRejection.FirmwareUnknown, ReasonCodes.FirmwareUnknown)]
    [InlineData(VinRejection.UpgradeInProgress, ReasonCodes.UpgradeInProgress)]
    [InlineData(VinRejection.SameVersionNotWhitelisted, ReasonCodes.SameVersionNotWhitelisted)]
    [InlineData(VinRejection.DowngradeNotWhitelisted, ReasonCodes.DowngradeNotWhitelisted)]
    [InlineData(VinRejection.ConfigWordMissing, ReasonCodes.ConfigWordMissing)]
    public void MapsEachRejectionToItsReasonCodeAndBack(VinRejection rejection, string code)
    {
        Assert.Equal([code], Rules.VinRejectionCodes.Codes(rejection));
        Assert.Equal(code, Rules.VinRejectionCodes.FirstCode(rejection));
        Assert.True(Rules.VinRejectionCodes.TryFromCode(code, out var parsed));
        Assert.Equal(rejection, parsed);
    }

    [Fact]
    public void CoversEveryDeclaredRejection()
    {
        var declared = Enum.GetValues<VinRejection>().Where(r => r != VinRejection.None).ToArray();
        var codes = declared.Select(r => Rules.VinRejectionCodes.FirstCode(r)).ToArray();
        Assert.Equal(13, declared.Length);
        Assert.Equal(declared.Length, codes.Distinct().Count());
        Assert.All(codes, code => Assert.NotNull(code));
    }

    [Fact]
    public void ListsNothingForAcceptedVin()
    {
        Assert.Empty(Rules.VinRejectionCodes.Codes(VinRejection.None));
        Assert.Null(Rules.VinRejectionCodes.FirstCode(VinRejection.None));
        Assert.Equal("", Rules.VinRejectionCodes.ToVerdictText(VinRejection.None));
    }

    [Fact]
    public void ListsCodesInSpecOrderWhateverTheOrderTheyWereFound()
    {
        var rejection = VinRejection.ConfigWordMissing | VinRejection.Blacklisted | VinRejection.SeriesModelMismatch;
        Assert.Equal(
            [ReasonCodes.SeriesModelMismatch, ReasonCodes.Blacklisted, ReasonCodes.ConfigWordMissing],
            Rules.VinRejectionCodes.Codes(rejection));
        Assert.Equal(ReasonCodes.SeriesModelMismatch, Rules.VinRejectionCodes.FirstCode(rejection));
    }

    [Fact]
    public void WritesVerdictTextSeparatedBySpaces()
    {
        var rejection = VinRejection.UsageMismatch | VinRejection.FirmwareUnknown;
        Assert.Equal("USAGE_MISMATCH FIRMWARE_UNKNOWN", Rules.VinRejectionCodes.ToVerdictText(rejection));
    }

    [Fact]
    public void ReusesTheSameListForTheSameRejection()
    {
        var rejection = VinRejection.Blacklisted | VinRejection.UsageMismatch;
        Assert.Same(Rules.VinRejectionCodes.Codes(rejection), Rules.VinRejectionCodes.Codes(rejection));
        Assert.Same(Rules.VinRejectionCodes.ToVerdictText(rejection), Rules.VinRejectionCodes.ToVerdictText(rejection));
    }

    [Theory]
    [InlineData(ReasonCodes.VinListEmpty)]
    [InlineData(ReasonCodes.PackageNotFound)]
    [InlineData("usage_mismatch")]
    [InlineData("")]
    public void DoesNotReadTaskLevelOrUnknownCodesAsVinRejections(string code)
    {
        Assert.False(Rules.VinRejectionCodes.TryFromCode(code, out var parsed));
        Assert.Equal(VinRejection.None, parsed);
    }

    [Fact]
    public void RefusesValuesOutsideTheDeclaredBits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rules.VinRejectionCodes.Codes((VinRejection)(1 << 13)));
    }
}
