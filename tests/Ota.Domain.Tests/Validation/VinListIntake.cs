using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class VinListIntake
{
    private const string VinA = "LSVAU2180N2183294";
    private const string VinB = "LFV2A21K6N3061234";
    private const string VinC = "WDD2221761A123456";

    [Fact]
    public void KeepsDistinctVinsInFirstOccurrenceOrder()
    {
        var intake = Rules.VinListIntake.Read([VinB, VinA, VinC, VinA]);
        Assert.Equal([VinB, VinA, VinC], intake.DistinctVins);
        Assert.Equal(3, intake.DistinctCount);
        Assert.Equal(4, intake.EntryCount);
    }

    [Fact]
    public void NormalisesCaseAndSurroundingWhitespace()
    {
        var intake = new Rules.VinListIntake();
        Assert.Equal(VinEntryOutcome.Added, intake.Add("  lsvau2180n2183294\t", out var vin));
        Assert.Equal(VinA, vin);
        Assert.Equal([VinA], intake.DistinctVins);
    }

    [Fact]
    public void ReportsDuplicateOnceAndCountsItOnce()
    {
        var intake = Rules.VinListIntake.Read([VinA, VinB, VinA, VinA, VinB]);
        Assert.Equal([VinA, VinB], intake.DistinctVins);
        Assert.Equal([VinA, VinB], intake.Duplicates);
        Assert.Equal(3, intake.RepeatedEntryCount);
    }

    [Fact]
    public void TreatsSpellingVariantsOfOneVinAsDuplicates()
    {
        var intake = new Rules.VinListIntake();
        intake.Add(VinA);
        Assert.Equal(VinEntryOutcome.Duplicate, intake.Add(" " + VinA.ToLowerInvariant(), out var vin));
        Assert.Equal(VinA, vin);
        Assert.Equal([VinA], intake.Duplicates);
        Assert.Single(intake.DistinctVins);
    }

    [Theory]
    [InlineData("LSVAU2180N218329")] // 16 characters
    [InlineData("LSVAU2180N21832945")] // 18 characters
    [InlineData("LSVAU2180N218329I")] // I is not a VIN character
    [InlineData("OSVAU2180N2183294")] // nor O
    [InlineData("LSVAU2180N218329Q")] // nor Q
    [InlineData("LSVAU2180-2183294")]
    [InlineData("LSVAU 180N2183294")]
    public void ReportsMalformedEntryAsGiven(string entry)
    {
        var intake = new Rules.VinListIntake();
        Assert.Equal(VinEntryOutcome.Malformed, intake.Add(entry, out var vin));
        Assert.Null(vin);
        Assert.Equal([entry], intake.Malformed);
        Assert.Empty(intake.DistinctVins);
    }

    [Fact]
    public void ReportsEveryMalformedEntryEvenWhenRepeated()
    {
        var intake = Rules.VinListIntake.Read(["bad", VinA, "bad "]);
        Assert.Equal(["bad", "bad "], intake.Malformed);
        Assert.Empty(intake.Duplicates);
    }

    [Fact]
    public void IgnoresBlankEntriesButCountsThem()
    {
        var intake = Rules.VinListIntake.Read([VinA, "", "   ", null, VinB]);
        Assert.Equal([VinA, VinB], intake.DistinctVins);
        Assert.Empty(intake.Malformed);
        Assert.Equal(3, intake.BlankCount);
        Assert.Equal(5, intake.EntryCount);
    }

    [Fact]
    public void IsEmptyWhenNothingUsableWasGiven()
    {
        Assert.True(Rules.VinListIntake.Read([]).IsEmpty);
        Assert.True(Rules.VinListIntake.Read(["", "not a vin"]).IsEmpty);
        Assert.False(Rules.VinListIntake.Read(["not a vin", VinA]).IsEmpty);
    }

    [Fact]
    public void ListsRejectedEntriesWithTheirCodes()
    {
        var intake = Rules.VinListIntake.Read([VinA, "x1", VinA, VinB]);
        var rejected = intake.ListRejected()
            .Select(r => (r.Entry, Rules.VinRejectionCodes.ToVerdictText(r.Rejection)))
            .ToArray();
        Assert.Equal([(VinA, ReasonCodes.VinDuplicate), ("x1", ReasonCodes.VinMalformed)], rejected);
    }

    [Fact]
    public void KeepsOnlyTheStartOfAHugeMalformedEntry()
    {
        var huge = new string('x', 5_000_000);
        var intake = new Rules.VinListIntake();

        Assert.Equal(VinEntryOutcome.Malformed, intake.Add(huge));

        Assert.Equal(new string('x', Rules.VinListIntake.MaxReportedLength), Assert.Single(intake.Malformed));
    }
}
