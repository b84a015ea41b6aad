using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class StrategyPhase
{
    [Fact]
    public void AcceptsDefaultStrategyAndFullyOrderedEcus()
    {
        Assert.True(Rules.StrategyPhase.Check(Given.Task(), Given.CompleteStrategies()).IsValid);
    }

    [Theory]
    [InlineData(TaskType.Normal)]
    [InlineData(TaskType.Sampling)]
    public void RejectsSeriesModelWithoutDefaultStrategy(TaskType type)
    {
        var strategies = Given.CompleteStrategies() with { DefaultStrategyId = null };
        var verdict = Rules.StrategyPhase.Check(Given.Task(type), strategies);
        Assert.Equal([ReasonCodes.StrategyDefaultMissing], verdict.Codes);
        Assert.Contains("S1-M1", verdict.DetailOf(ReasonCodes.StrategyDefaultMissing));
    }

    [Fact]
    public void RejectsSeriesModelWithNoStrategyAtAll()
    {
        var verdict = Rules.StrategyPhase.Check(Given.Task(), new StrategyFacts(null, []));
        Assert.Equal([ReasonCodes.StrategyDefaultMissing], verdict.Codes);
    }

    [Fact]
    public void RejectsStrategyWithEcusWithoutOrderNamingStrategyAndEcus()
    {
        var strategies = new StrategyFacts(11,
        [
            new StrategyOrderFacts(11, "S1-M1 standard", []),
            new StrategyOrderFacts(12, "S1-M1 quick", ["CDC", "BMS"]),
        ]);

        var verdict = Rules.StrategyPhase.Check(Given.Task(), strategies);

        Assert.Equal([ReasonCodes.StrategyEcuOrderMissing], verdict.Codes);
        Assert.Equal("ECUs without an upgrade order in strategy 'S1-M1 quick' (id 12): CDC, BMS.",
            verdict.DetailOf(ReasonCodes.StrategyEcuOrderMissing));
    }

    [Fact]
    public void NamesEveryIncompleteStrategyInOneFailure()
    {
        var strategies = new StrategyFacts(11,
        [
            new StrategyOrderFacts(11, "S1-M1 standard", ["ADCU"]),
            new StrategyOrderFacts(12, "S1-M1 quick", ["CDC"]),
        ]);

        var verdict = Rules.StrategyPhase.Check(Given.Task(), strategies);

        Assert.Single(verdict.Failures);
        var detail = verdict.DetailOf(ReasonCodes.StrategyEcuOrderMissing);
        Assert.Contains("'S1-M1 standard' (id 11): ADCU", detail);
        Assert.Contains("'S1-M1 quick' (id 12): CDC", detail);
    }

    [Fact]
    public void ReportsMissingDefaultBeforeMissingOrders()
    {
        var strategies = new StrategyFacts(null, [new StrategyOrderFacts(12, "S1-M1 quick", ["CDC"])]);
        var verdict = Rules.StrategyPhase.Check(Given.Task(), strategies);
        Assert.Equal([ReasonCodes.StrategyDefaultMissing, ReasonCodes.StrategyEcuOrderMissing], verdict.Codes);
    }
}
