using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Push;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Infrastructure.VinLists;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Infrastructure.Tests.Rollouts;

/// <summary>
/// Two app instances on the same MariaDB, Redis and broker push one gated task together through Hangfire, each with its
/// own rollout evaluation running, as a deployment does: a pause decided by either stops both, and a task's notice rate
/// is one budget for both.
/// </summary>
public sealed class RolloutAcrossInstances(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private OtaAppFactory _alpha = null!;
    private OtaAppFactory _beta = null!;
    private readonly ConcurrentQueue<(DateTime At, NoticeMessage Notice)> _received = new();
    private MqttNoticeSubscriber _subscriber = null!;
    private readonly List<long> _tasks = [];

    public async Task InitializeAsync()
    {
        _alpha = Instance("alpha");
        _beta = Instance("beta");
        _beta.Settings["Mqtt:Embedded"] = "false";
        _beta.Settings["Mqtt:Host"] = "127.0.0.1";
        _beta.Settings["Mqtt:Username"] = BrokerCredentials.ServiceUser;
        _beta.Settings["Mqtt:Port"] = _alpha.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _ = _alpha.Server;
        _ = _beta.Server;
        _subscriber = await MqttNoticeSubscriber.ConnectAsync(TestBroker.Monitor(
            _alpha.Services.GetRequiredService<EmbeddedMqttBroker>().Port, maxRetained: 50_000,
            onNotice: n =>
            {
                if (n.Message is { } message) _received.Enqueue((DateTime.UtcNow, message));
                return Task.CompletedTask;
            }));
        await new TestFleet(_alpha.Services, db).ImportDemoCatalogAsync();
    }

    private OtaAppFactory Instance(string name)
    {
        var app = new OtaAppFactory(db, redis);
        app.Settings["Ota:InstanceName"] = name;
        app.Settings["Redis:HangfireWorkers"] = "2";
        app.Settings["Push:Workers"] = "4";
        app.Settings["Push:ChunkSize"] = "200";
        app.Settings["Rollout:EvaluationInterval"] = "00:00:01";
        // Each instance sends at most 300 a second, so a 6,000-VIN push lasts long enough to be paused halfway.
        app.Settings["Push:MaxNoticesPerSecond"] = "300";
        return app;
    }

    public async Task DisposeAsync()
    {
        // The class's tests share one database, and a task left sending (the paced one takes minutes) is due before the
        // next test's task: the next test's workers would push it and leave that test's task to one instance.
        var pause = _alpha.Services.GetRequiredService<TaskPause>();
        foreach (var taskId in _tasks)
            await pause.PauseAsync(taskId, new PauseReason(PauseReason.Operator, null, "The test is over."), "test", CancellationToken.None);
        await _subscriber.DisposeAsync();
        await _beta.DisposeAsync();
        await _alpha.DisposeAsync();
    }

    private async Task<long> PublishAsync(char letter, int count, string plan)
    {
        var fleet = new TestFleet(_alpha.Services, db);
        var template = await fleet.VehicleAsync(TestFleet.TestVin(1, 'S'));
        var vins = Enumerable.Range(1, count).Select(n => TestFleet.TestVin(n, letter)).ToArray();
        await fleet.AddVehiclesAsync(vins.Select(v => template with { Vin = v, Secret = $"s-{v}" }));
        var progress = await _alpha.Services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, await fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
            {
                // Scheduled later, then pushed now: both instances' workers take part from the first chunk.
                Task = new TaskSpec($"gated {letter}", 0, DateTime.UtcNow.AddDays(1), RolloutPlan.Parse(plan)),
                PublishWhenDone = true,
            }, vins);
        Assert.Equal(count, progress.Accepted);
        var taskId = progress.TaskId!.Value;
        _tasks.Add(taskId);
        Assert.NotNull((await _alpha.Services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "test")).JobId);
        return taskId;
    }

    private int ReceivedFor(long taskId) => _received.Count(r => r.Notice.TaskId == taskId && !r.Notice.IsCancel);

    [Fact]
    public async Task AnErrorThresholdCrossedWhileBothInstancesPushPausesTheTaskAndNoNoticeLeavesAfterTheDecision()
    {
        const int count = 6000;
        var taskId = await PublishAsync('P', count, """{"groups": [{"name": "everyone", "percent": 100, "errorThreshold": 1, "minFinished": 1}]}""");
        try
        {
            await Eventually.WaitUntilAsync(async () =>
                    await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified' AND claimed_by LIKE 'alpha#%'") > 50
                    && await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified' AND claimed_by LIKE 'beta#%'") > 50,
                TimeSpan.FromMinutes(1), "both instances to be sending");
        }
        finally
        {
            output.WriteLine($"claims (task {taskId} is this test's): {await db.ScalarAsync($"SELECT GROUP_CONCAT(c) FROM (SELECT CONCAT('task ', task_id, ' ', state, ' ', LEFT(COALESCE(claimed_by, '-'), 5), ' ', COUNT(*)) c FROM ota_task_vin GROUP BY task_id, state, LEFT(COALESCE(claimed_by, '-'), 5)) x")}; received {ReceivedFor(taskId)}");
            output.WriteLine(HangfireJobs.Describe(_alpha.Services));
        }

        // A failure report's follow-up: 1 of 1 finished failed.
        await db.ExecuteAsync($"UPDATE ota_task_vin SET state = 'Failed' WHERE task_id = {taskId} AND state = 'Notified' ORDER BY vin LIMIT 1");
        await Eventually.WaitUntilAsync(async () => await db.CountAsync("ota_task", $"id = {taskId} AND status = 'Paused'") == 1,
            TimeSpan.FromSeconds(15), "the task to pause");
        var pausedAt = DateTime.SpecifyKind(
            (DateTime)(await db.ScalarAsync($"SELECT paused_at FROM ota_task_rollout WHERE task_id = {taskId}"))!, DateTimeKind.Utc);
        Assert.Equal("ROLLOUT_ERROR_THRESHOLD", await db.ScalarAsync($"SELECT pause_code FROM ota_task_rollout WHERE task_id = {taskId}"));

        // Both instances go on running push jobs; the notices stop at the decision. Counted once every notice recorded
        // as sent has reached the monitor (on a loaded machine that can take longer than any fixed wait).
        await Eventually.WaitUntilAsync(async () => ReceivedFor(taskId) >= await db.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"),
            TimeSpan.FromSeconds(30), "every notice sent before the pause to arrive");
        var atPause = ReceivedFor(taskId);
        _alpha.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<TaskPushJob>(j => j.RunAsync(CancellationToken.None));
        _beta.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<TaskPushJob>(j => j.RunAsync(CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(4));
        var late = _received.Where(r => r.Notice.TaskId == taskId && r.At > pausedAt.AddMilliseconds(250)).ToList();
        output.WriteLine($"{atPause} notices before the pause at {pausedAt:O}; {late.Count} received more than 250 ms after it");
        Assert.Empty(late);
        Assert.Equal(atPause, ReceivedFor(taskId));
        Assert.InRange(atPause, 100, count - 1);
        // Every notice that left was recorded, and every VIN not sent is still pending for a resume.
        var notified = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state IN ('Notified', 'Failed')");
        Assert.Equal(atPause, notified);
        Assert.Equal(atPause, await db.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(count - atPause, await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Pending' AND lease_until IS NULL"));
    }

    [Fact]
    public async Task ATasksNoticeRateIsOneBudgetForBothInstances()
    {
        const int perMinute = 600;
        var taskId = await PublishAsync('R', 3000, $$$"""{"groups": [{"name": "everyone", "percent": 100}], "noticeRate": {"perMinute": {{{perMinute}}}}}""");
        await Eventually.WaitUntilAsync(() => Task.FromResult(ReceivedFor(taskId) > 0), TimeSpan.FromMinutes(1), "the first notice");
        var start = DateTime.UtcNow.AddSeconds(2);
        var window = TimeSpan.FromSeconds(15);
        await Task.Delay(start + window - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        var inWindow = _received.Count(r => r.Notice.TaskId == taskId && r.At >= start && r.At < start + window);
        var alpha = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'alpha#%'");
        var beta = await db.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'beta#%'");
        var allowed = perMinute * window.TotalMinutes;
        output.WriteLine(HangfireJobs.Describe(_alpha.Services));
        output.WriteLine($"{inWindow} notices in {window.TotalSeconds} s (allowed {allowed}); alpha claimed {alpha} VINs, beta {beta}");
        Assert.True(alpha > 0 && beta > 0, $"both instances send (alpha claimed {alpha}, beta {beta})");
        // Two instances each keeping the rate alone would send twice as many.
        Assert.InRange(inWindow, allowed * 0.7, allowed * 1.1);
    }
}
