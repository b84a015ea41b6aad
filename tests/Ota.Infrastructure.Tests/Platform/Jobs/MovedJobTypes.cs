using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.VinLists;

namespace Ota.Infrastructure.Tests.Platform.Jobs;

/// <summary>Jobs Hangfire stored under a type's name before it moved folders still find their type.</summary>
public sealed class MovedJobTypes
{
    [Fact]
    public void AValidationJobQueuedBeforeTheMoveFindsItsType()
    {
        Assert.Equal(typeof(ValidationJobs), DependencyInjection.ResolveJobType("Ota.Infrastructure.Validation.ValidationJobs, Ota.Infrastructure"));
    }

    [Theory]
    [InlineData(typeof(ValidationJobs))]
    [InlineData(typeof(TaskPushJob))]
    [InlineData(typeof(TaskCompensationJob))]
    public void JobTypesAreFoundByTheirNamesNow(Type job)
    {
        Assert.Equal(job, DependencyInjection.ResolveJobType($"{job.FullName}, {job.Assembly.GetName().Name}"));
    }
}
