using Sut = Ota.Domain.Events.FollowUps.FollowUpOptions;

namespace Ota.Domain.Tests.Events;

public class FollowUpOptions
{
    [Fact]
    public void DefaultsCountAllSixErrorTypesAsFailures()
    {
        Assert.Equal(Enum.GetValues<ErrorType>(), new Sut().FailureErrorTypes);
        Assert.Empty(new Sut().Validate());
    }

    [Fact]
    public void ReportsNegativeWindowsAndBlankCodes()
    {
        var options = new Sut { LogReadBackBefore = TimeSpan.FromMinutes(-1), NonRetryableInnerErrorCodes = [" "] };

        Assert.Equal(2, options.Validate().Count());
    }
}
