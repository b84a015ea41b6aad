using Ota.Domain.Tasks;

namespace Ota.Domain.Tests.Tasks;

public class VinCursorRoundTrip
{
    [Fact]
    public void ACursorNamesTheVinItWasMadeFrom()
    {
        var cursor = VinCursor.Encode("LDEM0A00000000042");

        Assert.DoesNotContain("LDEM0A00000000042", cursor);
        Assert.True(VinCursor.TryDecode(cursor, out var vin));
        Assert.Equal("LDEM0A00000000042", vin);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("TERFTTBBMDAwMDAwMDAwNDI")] // base64url of the VIN alone: no version
    [InlineData("djE6bGRlbTBhMDAwMDAwMDAwNDI")] // v1: and a lower-case VIN: not a stored form
    [InlineData("djE6JyBPUiAxPTE7LS0")] // v1: and SQL
    public void AnythingItDidNotMakeIsRefused(string? cursor) => Assert.False(VinCursor.TryDecode(cursor, out _));
}
