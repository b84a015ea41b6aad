using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class TaskValidation
{
    [Fact]
    public void AcceptsTaskWhosePhasesAllPass()
    {
        var verdict = Rules.TaskValidation.Validate(Given.Task(), Given.ReleasedPackage(), Given.CompleteStrategies(), distinctVinCount: 1);
        Assert.True(verdict.IsValid);
        Assert.Null(verdict.Code);
        Assert.Empty(verdict.Codes);
    }

    [Fact]
    public void RejectsEmptyVinList()
    {
        var verdict = Rules.TaskValidation.Validate(Given.Task(), Given.ReleasedPackage(), Given.CompleteStrategies(), distinctVinCount: 0);
        Assert.Equal([ReasonCodes.VinListEmpty], verdict.Codes);
        Assert.False(string.IsNullOrWhiteSpace(verdict.DetailOf(ReasonCodes.VinListEmpty)));
    }

    [Fact]
    public void ListsCodesOfAllPhasesInPhaseOrder()
    {
        var verdict = Rules.TaskValidation.Validate(
            Given.Task(TaskType.Delivery),
            PackageFacts.NotFound,
            new StrategyFacts(null, [new StrategyOrderFacts(3, "draft", ["CDC"])]),
            distinctVinCount: 0);

        Assert.Equal(
            [ReasonCodes.PackageNotFound, ReasonCodes.StrategyDefaultMissing, ReasonCodes.StrategyEcuOrderMissing, ReasonCodes.VinListEmpty],
            verdict.Codes);
        Assert.Equal(ReasonCodes.PackageNotFound, verdict.Code);
        Assert.Equal(4, verdict.Failures.Count(f => !string.IsNullOrWhiteSpace(f.Detail)));
    }
}
