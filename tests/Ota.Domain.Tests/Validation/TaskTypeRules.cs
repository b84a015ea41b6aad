using Ota.Domain.Tasks.Validation;
using Rules = Ota.Domain.Tasks.Validation;

namespace Ota.Domain.Tests.Validation;

public class TaskTypeRules
{
    [Fact]
    public void HasOneRowPerTaskTypeInDeclarationOrder()
    {
        Assert.Equal(Enum.GetValues<TaskType>(), Rules.TaskTypeRules.All.Select(r => r.Type));
        foreach (var type in Enum.GetValues<TaskType>()) Assert.Equal(type, Rules.TaskTypeRules.For(type).Type);
    }

    [Theory]
    [InlineData(TaskType.Test, false)]
    [InlineData(TaskType.Normal, true)]
    [InlineData(TaskType.Forced, true)]
    [InlineData(TaskType.Factory, true)]
    [InlineData(TaskType.Sampling, true)]
    [InlineData(TaskType.Delivery, true)]
    public void TreatsAllButTestAsFormal(TaskType type, bool formal)
    {
        Assert.Equal(formal, Rules.TaskTypeRules.For(type).IsFormal);
        Assert.Equal(formal, Given.Task(type).IsFormal);
    }

    [Theory]
    [InlineData(TaskType.Test, TriggerType.TestTask)]
    [InlineData(TaskType.Normal, TriggerType.NormalTask)]
    [InlineData(TaskType.Forced, TriggerType.ForcedTask)]
    [InlineData(TaskType.Factory, TriggerType.FactoryTask)]
    [InlineData(TaskType.Sampling, TriggerType.SamplingTask)]
    [InlineData(TaskType.Delivery, TriggerType.DeliveryTask)]
    public void MapsTaskTypeToTheTriggerVehiclesReport(TaskType type, TriggerType trigger)
    {
        Assert.Equal(trigger, Rules.TaskTypeRules.For(type).Trigger);
        Assert.True(Rules.TaskTypeRules.IsTaskTrigger(trigger));
    }

    [Theory]
    [InlineData(TriggerType.Adi)]
    [InlineData(TriggerType.User)]
    public void DoesNotCountDiagnosticOrUserUpgradesAsTasks(TriggerType trigger)
    {
        Assert.False(Rules.TaskTypeRules.IsTaskTrigger(trigger));
    }

    [Fact]
    public void ComparesVersionsForEveryTypeButSampling()
    {
        Assert.Equal([TaskType.Sampling], Rules.TaskTypeRules.All.Where(r => !r.ComparesVersions).Select(r => r.Type));
    }

    [Fact]
    public void DescribesEveryTaskTypeInWords()
    {
        var rows = Rules.TaskTypeRules.Describe();

        Assert.Equal(Enum.GetNames<TaskType>(), rows.Select(r => r.TaskType));
        Assert.All(rows, r => Assert.Equal(TaskTypeRuleText.Headers.Count, r.Cells.Count));
        var factory = rows.Single(r => r.TaskType == "Factory");
        Assert.Equal("Production vehicles not yet Delivered", factory.Vehicles);
        Assert.Equal("one of FinalAssemblyOffline, OkOffline, CertificatePrinted", factory.LifecycleStatus);
        Assert.Equal("CertificatePrinted or earlier (Produced, FinalAssemblyOffline, OkOffline, CertificatePrinted)",
            rows.Single(r => r.TaskType == "Delivery").LifecycleStatus);
        Assert.Equal("Production vehicles that are sold, and Engineering vehicles", rows.Single(r => r.TaskType == "Normal").Vehicles);
        Assert.Equal("Engineering vehicles", rows.Single(r => r.TaskType == "Test").Vehicles);
        Assert.Equal("not formal", rows.Single(r => r.TaskType == "Test").Formal);
        Assert.Equal("not compared (full package)", rows.Single(r => r.TaskType == "Sampling").Versions);
        Assert.Equal("any", rows.Single(r => r.TaskType == "Normal").LifecycleStatus);
    }

    [Fact]
    public void StatesTheExceptionsNextToTheMatrix()
    {
        Assert.Contains(Rules.TaskTypeRules.Exceptions, e => e.Contains("Diagnostic") && e.Contains("blacklist"));
        Assert.Contains(Rules.TaskTypeRules.Exceptions, e => e.Contains("Forced whitelist"));
    }
}
