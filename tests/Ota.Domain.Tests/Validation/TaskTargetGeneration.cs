namespace Ota.Domain.Tests.Validation;

/// <summary><see cref="Ota.Domain.Tasks.Validation.TaskDefinition.TargetGeneration"/>.</summary>
public class TaskTargetGeneration
{
    [Theory]
    [InlineData("3.1.5", Generation.OTA1)]
    [InlineData("4.2.0", Generation.OTA2)]
    [InlineData("4.2.0.7", Generation.OTA2)]
    [InlineData(" 1.1.0 ", Generation.OTA1)]
    [InlineData("3.3.0", null)]
    [InlineData("3.1", null)]
    [InlineData("v3.1.5", null)]
    public void ReadsGenerationFromTheTargetsMiddleSegment(string target, Generation? generation)
    {
        Assert.Equal(generation, Given.Task(target: target).TargetGeneration);
    }
}
