using Ota.Domain.Catalog;
using Rule = Ota.Domain.Catalog.StrategyDefaults;

namespace Ota.Domain.Tests.Catalog;

public sealed class StrategyDefaults
{
    private static readonly SeriesModelDefault S1M1ByStandard = new(1, "S1-M1", 10, "standard");
    private static readonly SeriesModelDefault S1M2ByStandard = new(2, "S1-M2", 10, "standard");

    [Fact]
    public void ANewStrategyMayBeTheDefaultOfASeriesModelWithoutOne()
    {
        Assert.Empty(Rule.Check(null, [new StrategyLink(3, "S2-M1", IsDefault: true)], []));
    }

    [Fact]
    public void ASeriesModelGetsNoSecondDefault()
    {
        var problems = Rule.Check(null, [new StrategyLink(1, "S1-M1", IsDefault: true)], [S1M1ByStandard]);
        var problem = Assert.Single(problems);
        Assert.Contains("S1-M1 already has a default strategy, 'standard'", problem);
    }

    [Fact]
    public void AStrategyMayBeLinkedAsANonDefaultToASeriesModelThatHasOne()
    {
        Assert.Empty(Rule.Check(11, [new StrategyLink(1, "S1-M1", IsDefault: false)], [S1M1ByStandard]));
    }

    [Fact]
    public void TheDefaultStrategyKeepsBeingTheDefaultWhenSavedAgain()
    {
        Assert.Empty(Rule.Check(10, [new StrategyLink(1, "S1-M1", true), new StrategyLink(2, "S1-M2", true)], [S1M1ByStandard, S1M2ByStandard]));
    }

    [Fact]
    public void TheDefaultStrategyCannotLeaveASeriesModelWithoutADefault()
    {
        // Unlinked from S1-M2, and no longer the default of S1-M1.
        var problems = Rule.Check(10, [new StrategyLink(1, "S1-M1", IsDefault: false)], [S1M1ByStandard, S1M2ByStandard]);
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("would be left without a default strategy", p));
        Assert.Contains(problems, p => p.StartsWith("S1-M1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("S1-M2", StringComparison.Ordinal));
    }

    [Fact]
    public void MakingAStrategyTheDefaultTakesTheDefaultFromTheOneThatHadIt()
    {
        var relations = new List<StrategySeriesModelRelation>
        {
            new() { StrategyId = 10, SeriesModelId = 1, IsDefault = true },
            new() { StrategyId = 11, SeriesModelId = 1, IsDefault = false },
        };
        Assert.False(Rule.MoveTo(11, relations));
        Assert.Equal([11L], relations.Where(r => r.IsDefault).Select(r => r.StrategyId));
    }

    [Fact]
    public void MakingAnUnlinkedStrategyTheDefaultAsksForItsRelation()
    {
        var relations = new List<StrategySeriesModelRelation> { new() { StrategyId = 10, SeriesModelId = 1, IsDefault = true } };
        Assert.True(Rule.MoveTo(12, relations));
        Assert.DoesNotContain(relations, r => r.IsDefault);
    }

    [Fact]
    public void AStrategyWithEcusWithoutAnOrderCannotBecomeADefault()
    {
        Assert.Contains("without an upgrade order", Rule.CannotBecomeDefault("draft", hasEcusWithoutOrder: true));
        Assert.Null(Rule.CannotBecomeDefault("complete", hasEcusWithoutOrder: false));
    }

    [Fact]
    public void TheDefaultOfASeriesModelIsNotDeleted()
    {
        Assert.Equal("'standard' is the default of S1-M1, S1-M2: make another strategy the default first.",
            Rule.CannotDelete("standard", ["S1-M1", "S1-M2"]));
        Assert.Null(Rule.CannotDelete("spare", []));
    }
}
