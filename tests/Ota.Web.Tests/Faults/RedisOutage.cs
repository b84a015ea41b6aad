using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ota.Domain;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Jobs;
using Ota.Infrastructure.VinLists;
using Ota.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;
using static Ota.Web.Tests.Apis.VehicleCalls;

namespace Ota.Web.Tests.Faults;

/// <summary>
/// The app on a Redis of its own, which the tests stop and start. It comes back with what it held, as a production
/// Redis does (the harder case for Hangfire, whose server is still registered and whose workers resume where they
/// failed; a Redis that comes back empty makes Hangfire restart its server, and the workers with it), or empty.
/// </summary>
public sealed class PrivateRedisAppFixture : AppFixture
{
    public RedisServerProcess PrivateRedis { get; } = new(keepsData: true);

    protected override Task BeforeStartAsync() => PrivateRedis.StartAsync();

    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["ConnectionStrings:Redis"] = PrivateRedis.ConnectionString;
        app.Settings["Redis:Database"] = "0";
        app.Settings["Validation:ChunkSize"] = "100";
        app.Settings["FollowUps:PollInterval"] = "00:00:00.200";
        app.Settings["FollowUps:RetryDelay"] = "00:00:00.500";
        app.Settings["FollowUps:MaxRetryDelay"] = "00:00:01";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PrivateRedis.DisposeAsync();
    }
}

public sealed class RedisOutage(PrivateRedisAppFixture fixture, ITestOutputHelper output) : IClassFixture<PrivateRedisAppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinimumOutage = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task ValidationFinishesFromMySqlWhileRedisIsDownAndJobsResumeWhenItReturns()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, 450).Select(n => TestFleet.TestVin(n, 'R')).ToList();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        var validation = services.GetRequiredService<TaskValidationService>();
        var request = new ValidationRequest(TaskType.Normal, TaskSource.Console, await fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
        {
            Task = new TaskSpec("while redis is down", 0, null),
        };
        using var client = fixture.App.CreateClient();

        await fixture.PrivateRedis.StopAsync();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var runId = await validation.StartInBackgroundAsync(request, vins);
            var progress = await validation.UntilFinishedAsync(runId, seconds: 60);

            Assert.Equal(ValidationRunStatus.Completed, progress.Status);
            Assert.Equal(450, progress.Accepted);
            Assert.Equal(450, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {progress.TaskId}"));
            Assert.True(services.GetRequiredService<LocalWorkQueue>().TakenOver >= 5);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);

            // An outage long enough for Hangfire's own back-off of failing workers (about n² s after the n-th failure)
            // to reach tens of seconds, had the workers been failing all along.
            if (outage.Elapsed < MinimumOutage) await Task.Delay(MinimumOutage - outage.Elapsed);
        }
        finally
        {
            await fixture.PrivateRedis.StartAsync();
            outage.Stop();
        }
        var sinceReturn = System.Diagnostics.Stopwatch.StartNew();

        // Redis is back: the app reconnects by itself and health turns green again.
        var healthy = false;
        for (var i = 0; i < 50 && !healthy; i++)
        {
            healthy = (await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
            if (!healthy) await Task.Delay(200);
        }
        Assert.True(healthy, "health did not recover after Redis came back");

        // And Hangfire takes jobs again at once: the next validation goes to it (not to this instance's local queue) and
        // finishes within seconds, not after a back-off.
        var takenOver = services.GetRequiredService<LocalWorkQueue>().TakenOver;
        var after = await validation.StartInBackgroundAsync(request with { Task = new TaskSpec("after redis returned", 0, null) },
            vins);
        var afterProgress = await validation.UntilFinishedAsync(after, seconds: 15);
        output.WriteLine($"Redis was away for {outage.Elapsed.TotalSeconds:0} s; the validation after its return took {sinceReturn.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(ValidationRunStatus.Completed, afterProgress.Status);
        Assert.Equal(takenOver, services.GetRequiredService<LocalWorkQueue>().TakenOver);
    }

    [Fact]
    public async Task VehicleCallsAreAnsweredWhileRedisIsDownAndTheirStatusReachesTheStreamOnceItReturns()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        if (await fixture.Database.CountAsync("ota_series_model") == 0) await fleet.ImportDemoCatalogAsync();
        var vin = TestFleet.TestVin(1, 'W');
        await fleet.AddVehiclesAsync([await fleet.VehicleAsync(vin)]);
        using var client = fixture.App.CreateClient();
        var eventId = Guid.NewGuid().ToString();
        var report = JsonSerializer.Serialize(new
        {
            vin,
            events = new[]
            {
                new { eventId, type = "UpgradeStatus", occurredAt = DateTimeOffset.UtcNow.ToString("O"), state = "Failed", triggerType = "User", errorType = "UpgradeFailed" },
            },
        });
        var signedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // This time Redis comes back empty, as the one `./ota run` starts does after a restart.
        await fixture.PrivateRedis.StopAsync(loseData: true);
        try
        {
            var description = await OkJsonAsync(await AskAsync(client, vin, "3.1.4", "3.1.5"));
            Assert.Equal(vin, description["vin"]!.GetValue<string>());
            var answer = await OkJsonAsync(await PostSignedAsync(client, Events, vin, report, timestamp: signedAt));
            Assert.Equal(1, answer["accepted"]!.GetValue<int>());
            // Replays are still refused: this instance remembers the signatures while Redis cannot.
            var replay = await PostSignedAsync(client, Events, vin, report, timestamp: signedAt);
            Assert.Equal("REPLAYED", (await ProblemAsync(replay, HttpStatusCode.Unauthorized)).Code);

            // The report is stored; its publication to the upgrade-status stream was tried, failed and waits.
            await Eventually.WaitUntilAsync(async () => await fixture.Database.CountAsync("ota_follow_up",
                $"vin = '{vin}' AND step = 'PublishToStream' AND state = 'Pending' AND attempts >= 1") == 1, Patience, "a failed attempt to publish");
            Assert.Equal(0, await fixture.Database.CountAsync("ota_follow_up", $"vin = '{vin}' AND state = 'Failed'"));
        }
        finally
        {
            await fixture.PrivateRedis.StartAsync();
        }

        // Redis is back (empty: it kept nothing): the delivery loop publishes the report, once.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.PrivateRedis.ConnectionString);
        var stream = redis.GetDatabase(0);
        await Eventually.WaitUntilAsync(async () => (await stream.StreamRangeAsync("ota:upgrade-status")).Any(e => e["eventId"] == eventId),
            Patience, "the report on the upgrade-status stream");
        await Eventually.WaitUntilAsync(async () => await fixture.Database.CountAsync("ota_follow_up",
            $"vin = '{vin}' AND step = 'PublishToStream' AND state = 'Done'") == 1, Patience, "the publication recorded as done");
        Assert.Single(await stream.StreamRangeAsync("ota:upgrade-status"), e => e["eventId"] == eventId);

        // The empty Redis lost Hangfire's recurring jobs (push, compensation, chunk recovery): they are registered again.
        var recurringJobs = services.GetRequiredService<IOptions<RedisOptions>>().Value.HangfirePrefix + "recurring-jobs";
        await Eventually.WaitUntilAsync(async () => await stream.SortedSetLengthAsync(recurringJobs) >= 3, Patience, "the recurring jobs registered again");
    }
}
