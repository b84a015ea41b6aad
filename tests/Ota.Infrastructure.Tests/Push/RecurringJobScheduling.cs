using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ota.Infrastructure.Compensation;
using Ota.Infrastructure.Platform.Jobs;
using Ota.Infrastructure.Push;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>The recurring push and compensation jobs as Hangfire holds them: ids, crons, time zones.</summary>
public sealed class RecurringJobScheduling(MariaDbFixture db, RedisFixture redis) : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>
{
    private ServiceProvider Services(Dictionary<string, string?> settings) => TestServices.Create(db, redis, settings);

    [Fact]
    public async Task RegistersThePushEveryMinuteAndCompensationAtSevenAndSixteenShanghaiTime()
    {
        await using var services = Services([]);
        var schedule = ActivatorUtilities.CreateInstance<RecurringJobSchedule>(services);

        await schedule.StartAsync(CancellationToken.None);

        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);
        Assert.Equal(("* * * * *", "UTC"), (jobs[TaskPushJob.RecurringJobId].Cron, jobs[TaskPushJob.RecurringJobId].TimeZoneId));
        Assert.Equal(("0 7,16 * * *", "Asia/Shanghai"),
            (jobs[TaskCompensationJob.RecurringJobId].Cron, jobs[TaskCompensationJob.RecurringJobId].TimeZoneId));
        Assert.Equal(nameof(TaskCompensationJob.RunAsync), jobs[TaskCompensationJob.RecurringJobId].Job.Method.Name);
        // 07:00 in Shanghai is 23:00 UTC the day before, 16:00 is 08:00 UTC.
        var next = jobs[TaskCompensationJob.RecurringJobId].NextExecution!.Value;
        Assert.Contains(next.Hour, new[] { 23, 8 });
        Assert.Equal(0, next.Minute);
    }

    [Fact]
    public async Task TakesTheCronAndTimeZoneFromConfiguration()
    {
        await using var services = Services(new()
        {
            ["Push:Cron"] = "*/5 * * * *",
            ["Compensation:Cron"] = "30 2 * * *",
            ["Compensation:TimeZone"] = "Europe/Berlin",
        });

        await ActivatorUtilities.CreateInstance<RecurringJobSchedule>(services).StartAsync(CancellationToken.None);

        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs().ToDictionary(j => j.Id);
        Assert.Equal("*/5 * * * *", jobs[TaskPushJob.RecurringJobId].Cron);
        Assert.Equal(("30 2 * * *", "Europe/Berlin"), (jobs[TaskCompensationJob.RecurringJobId].Cron, jobs[TaskCompensationJob.RecurringJobId].TimeZoneId));
    }

    [Fact]
    public async Task RefusesToStartWithACronOrTimeZoneItCannotRead()
    {
        await using var badCron = Services(new() { ["Compensation:Cron"] = "at seven" });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ActivatorUtilities.CreateInstance<RecurringJobSchedule>(badCron).StartAsync(CancellationToken.None));
        Assert.Contains("not a valid cron expression", error.Message);

        await using var badZone = Services(new() { ["Compensation:TimeZone"] = "Mars/Olympus" });
        var invalid = Assert.Throws<OptionsValidationException>(() => badZone.GetRequiredService<IOptions<CompensationOptions>>().Value);
        Assert.Contains("Compensation:TimeZone", invalid.Message);
    }

    [Fact]
    public async Task StopsQuietlyWhenTheHostStopsItAfterTheContainerDisposedIt()
    {
        await using var services = Services([]);
        var schedule = ActivatorUtilities.CreateInstance<RecurringJobSchedule>(services);
        await schedule.StartAsync(CancellationToken.None);

        schedule.Dispose();
        await schedule.StopAsync(CancellationToken.None);
        await schedule.StopAsync(CancellationToken.None);
    }
}
