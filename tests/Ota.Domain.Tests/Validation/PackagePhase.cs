using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class PackagePhase
{
    private const string Ota2Target = "4.2.0";

    private static TaskVerdict Check(TaskDefinition task, PackageFacts package) => Rules.PackagePhase.Check(task, package);

    [Theory]
    [InlineData(TaskType.Test)]
    [InlineData(TaskType.Normal)]
    [InlineData(TaskType.Forced)]
    [InlineData(TaskType.Factory)]
    [InlineData(TaskType.Sampling)]
    [InlineData(TaskType.Delivery)]
    public void AcceptsReleasedPackageWithFormalDescribedBaseline(TaskType type)
    {
        Assert.True(Check(Given.Task(type), Given.ReleasedPackage()).IsValid);
        Assert.True(Check(Given.Task(type, target: Ota2Target), Given.ReleasedPackage()).IsValid);
    }

    [Theory]
    [InlineData("3.5.1", "generation 5")]
    [InlineData("3.0.1", "generation 0")]
    [InlineData("3.1", "no generation")]
    [InlineData("3.x.1", "not a dotted numeric version")]
    [InlineData("", "not a dotted numeric version")]
    public void RejectsTargetWhoseGenerationIsNotOneOrTwo(string target, string detail)
    {
        var verdict = Check(Given.Task(target: target), Given.ReleasedPackage());
        Assert.Equal([ReasonCodes.VersionInvalid], verdict.Codes);
        Assert.Contains(detail, verdict.DetailOf(ReasonCodes.VersionInvalid));
    }

    [Fact]
    public void ReportsOnlyVersionInvalidWhenNoPackageCanBeLookedUp()
    {
        var verdict = Check(Given.Task(TaskType.Delivery, target: "3.9.1"), PackageFacts.NotFound);
        Assert.Equal([ReasonCodes.VersionInvalid], verdict.Codes);
    }

    [Theory]
    [InlineData(Given.Target, "No OTA1 full package exists for series-model S1-M1 version 3.1.5.")]
    [InlineData(Ota2Target, "No OTA2 package exists for series-model S1-M1 version 4.2.0.")]
    public void RejectsMissingPackage(string target, string detail)
    {
        var verdict = Check(Given.Task(TaskType.Delivery, target: target), PackageFacts.NotFound);
        Assert.Equal([ReasonCodes.PackageNotFound], verdict.Codes);
        Assert.Equal(detail, verdict.DetailOf(ReasonCodes.PackageNotFound));
    }

    [Theory]
    [InlineData(TaskType.Normal, PackageStatus.Testing)]
    [InlineData(TaskType.Forced, PackageStatus.Draft)]
    [InlineData(TaskType.Factory, PackageStatus.Revoked)]
    [InlineData(TaskType.Sampling, PackageStatus.Testing)]
    [InlineData(TaskType.Delivery, PackageStatus.Testing)]
    public void RejectsUnreleasedOta1PackageForFormalTask(TaskType type, PackageStatus status)
    {
        var verdict = Check(Given.Task(type), PackageFacts.Found(status, new BaselineFacts(true, "notes")));
        Assert.Equal([ReasonCodes.PackageNotReleased], verdict.Codes);
        Assert.Contains(status.ToString(), verdict.DetailOf(ReasonCodes.PackageNotReleased));
    }

    [Theory]
    [InlineData(PackageStatus.Draft)]
    [InlineData(PackageStatus.Testing)]
    public void AcceptsUnreleasedOta1PackageForTestTask(PackageStatus status)
    {
        Assert.True(Check(Given.Task(TaskType.Test), PackageFacts.Found(status)).IsValid);
    }

    [Fact]
    public void LeavesOta2PackageStatusToItsBaseline()
    {
        var package = PackageFacts.Found(PackageStatus.Testing, new BaselineFacts(true, "notes"));
        Assert.True(Check(Given.Task(TaskType.Normal, target: Ota2Target), package).IsValid);
    }

    [Theory]
    [InlineData(TaskType.Test, null)]
    [InlineData(TaskType.Normal, "")]
    [InlineData(TaskType.Forced, "   ")]
    [InlineData(TaskType.Factory, null)]
    [InlineData(TaskType.Sampling, "")]
    [InlineData(TaskType.Delivery, null)]
    public void RejectsOta2BaselineWithoutDescriptionForEveryTaskType(TaskType type, string? description)
    {
        var verdict = Check(Given.Task(type, target: Ota2Target), Given.ReleasedPackage(description: description));
        Assert.Equal([ReasonCodes.BaselineDescriptionMissing], verdict.Codes);
    }

    [Fact]
    public void RejectsOta2PackageLinkedToNoBaseline()
    {
        var verdict = Check(Given.Task(target: Ota2Target), PackageFacts.Found(PackageStatus.Released));
        Assert.Equal([ReasonCodes.BaselineDescriptionMissing], verdict.Codes);
        Assert.Contains("no baseline", verdict.DetailOf(ReasonCodes.BaselineDescriptionMissing));
    }

    [Fact]
    public void DoesNotAskOta1ForBaselineDescription()
    {
        Assert.True(Check(Given.Task(), PackageFacts.Found(PackageStatus.Released)).IsValid);
        Assert.True(Check(Given.Task(), Given.ReleasedPackage(formalBaseline: false, description: null)).IsValid);
    }

    [Theory]
    [InlineData(Given.Target)]
    [InlineData(Ota2Target)]
    public void RejectsInformalBaselineForDeliveryTask(string target)
    {
        var verdict = Check(Given.Task(TaskType.Delivery, target: target), Given.ReleasedPackage(formalBaseline: false));
        Assert.Equal([ReasonCodes.BaselineNotFormal], verdict.Codes);
    }

    [Theory]
    [InlineData(TaskType.Test)]
    [InlineData(TaskType.Normal)]
    [InlineData(TaskType.Forced)]
    [InlineData(TaskType.Factory)]
    [InlineData(TaskType.Sampling)]
    public void AcceptsInformalBaselineForOtherTaskTypes(TaskType type)
    {
        Assert.True(Check(Given.Task(type, target: Ota2Target), Given.ReleasedPackage(formalBaseline: false)).IsValid);
    }

    [Fact]
    public void RejectsOta1DeliveryTaskWithoutRecordedBaseline()
    {
        var verdict = Check(Given.Task(TaskType.Delivery), PackageFacts.Found(PackageStatus.Released));
        Assert.Equal([ReasonCodes.BaselineNotFormal], verdict.Codes);
        Assert.Contains("No baseline is recorded", verdict.DetailOf(ReasonCodes.BaselineNotFormal));
    }

    [Fact]
    public void ReportsEveryPackageCodeThatApplies()
    {
        var ota1 = Check(Given.Task(TaskType.Delivery), PackageFacts.Found(PackageStatus.Testing));
        Assert.Equal([ReasonCodes.PackageNotReleased, ReasonCodes.BaselineNotFormal], ota1.Codes);
        Assert.Equal(ReasonCodes.PackageNotReleased, ota1.Code);

        var ota2 = Check(Given.Task(TaskType.Delivery, target: Ota2Target), Given.ReleasedPackage(formalBaseline: false, description: ""));
        Assert.Equal([ReasonCodes.BaselineDescriptionMissing, ReasonCodes.BaselineNotFormal], ota2.Codes);
    }
}
