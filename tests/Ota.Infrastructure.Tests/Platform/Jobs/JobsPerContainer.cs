using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Jobs;

/// <summary>
/// Several app hosts in one process (parallel test classes; instances side by side) each run their jobs with their own
/// storage and their own services, however their start-ups interleave: Hangfire's defaults are process-wide, the last
/// container to configure Hangfire wins them.
/// </summary>
public sealed class JobsPerContainer(MariaDbFixture db) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task AJobIsActivatedInTheContainerOfTheServerThatRunsItEvenAfterAnotherContainerConfiguredHangfire()
    {
        await using var first = TestServices.Create(db);
        await using var second = TestServices.Create(db);
        // The first configures Hangfire, then the second does: the process-wide activator is the second's now.
        first.GetRequiredService<IGlobalConfiguration>();
        second.GetRequiredService<IGlobalConfiguration>();

        var activator = first.GetRequiredService<JobActivator>();
        using var scope = activator.BeginScope((JobActivatorContext)null!);

        Assert.Same(first.GetRequiredService<MySqlConnectionFactory>(), scope.Resolve(typeof(MySqlConnectionFactory)));
        Assert.Same(first.GetRequiredService<JobStorage>(), scope.Resolve(typeof(JobStorage)));
    }
}
