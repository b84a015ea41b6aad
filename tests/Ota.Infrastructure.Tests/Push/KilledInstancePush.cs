using System.Diagnostics;
using System.Text;
using Hangfire;
using Ota.Infrastructure.Push;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Infrastructure.Tests.Push;

/// <summary>
/// An app instance killed (SIGKILL, no chance to clean up) in the middle of a push: after its leases run out, another
/// instance finishes the task, and no VIN is lost or notified twice. The victim is the real app in a process of its
/// own, started from the build output; the survivor is this test process.
/// </summary>
public sealed class KilledInstancePush(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>, IAsyncLifetime
{
    private const int VinCount = 10_000;
    private static readonly TimeSpan VictimLease = TimeSpan.FromSeconds(15);
    private NoticeWorld _world = null!;
    private Process? _victim;
    private readonly StringBuilder _victimLog = new();

    public async Task InitializeAsync() => _world = await NoticeWorld.StartAsync(db, redis, new Dictionary<string, string?>
    {
        ["Ota:InstanceName"] = "survivor",
        ["Push:ChunkSize"] = "500",
    });

    public async Task DisposeAsync()
    {
        if (_victim is { HasExited: false }) _victim.Kill(entireProcessTree: true);
        _victim?.Dispose();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task AfterAKilledInstancesLeasesExpireTheOtherFinishesWithNoVinLostOrNotifiedTwice()
    {
        var vins = await _world.AddVehiclesAsync('V', VinCount);
        var taskId = await _world.PublishTaskAsync(vins);
        await StartVictimAsync();

        // The victim's Hangfire server runs the push (this process has none); it sends at 2,000 notices a second.
        _world.Get<IBackgroundJobClient>().Enqueue<TaskPushJob>(j => j.RunAsync(CancellationToken.None));
        await _world.Subscriber.WaitForCountAsync(3_000, TimeSpan.FromMinutes(2));
        _victim!.Kill(entireProcessTree: true);
        await _victim.WaitForExitAsync();
        var receivedAtKill = _world.Subscriber.Count;

        var heldByDeadVictim = await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Pending' AND claimed_by LIKE 'victim#%' AND lease_until > UTC_TIMESTAMP(3)");
        Assert.True(heldByDeadVictim > 0, "the victim was killed between chunks; nothing was in flight");

        // At once, the survivor sends everything but what the dead victim still holds under a live lease.
        var first = await _world.PushAsync();
        Assert.Equal(heldByDeadVictim, await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Pending' AND claimed_by LIKE 'victim#%'"));
        Assert.DoesNotContain(taskId, first.ExecutedTasks);

        // Once the leases have run out (by the database clock), the survivor takes those over and finishes.
        await MultiInstancePush.WaitUntilAsync(async () => await _world.CountAsync("ota_task_vin",
            $"task_id = {taskId} AND state = 'Pending' AND lease_until > UTC_TIMESTAMP(3)") == 0, VictimLease * 2);
        var second = await _world.PushAsync();
        Assert.Equal(heldByDeadVictim, second.Sent);
        Assert.Contains(taskId, second.ExecutedTasks);
        await _world.Subscriber.WaitForCountAsync(VinCount, NoticeWorld.Patience);

        Assert.Equal(VinCount, await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND state = 'Notified'"));
        Assert.Equal(VinCount, await _world.CountAsync("ota_vehicle_download_notice", $"task_id = {taskId}"));
        Assert.Equal(0, await _world.CountAsync(
            $"(SELECT vin FROM ota_vehicle_download_notice WHERE task_id = {taskId} GROUP BY vin HAVING COUNT(*) > 1) twice", "1=1"));
        var byVin = _world.Subscriber.Received.GroupBy(r => r.Message!.Vin).ToDictionary(g => g.Key, g => g.Select(r => r.Message!.MessageId).ToList());
        Assert.Equal(VinCount, byVin.Count);
        // A notice the victim had sent but not recorded when it died is sent again with the same message id, which the
        // vehicle recognises; no VIN ever gets two different notices.
        Assert.All(byVin.Values, ids => Assert.Single(ids.Distinct()));
        var redelivered = byVin.Values.Count(ids => ids.Count > 1);
        var victimSent = await _world.CountAsync("ota_task_vin", $"task_id = {taskId} AND claimed_by LIKE 'victim#%'");
        output.WriteLine($"received {receivedAtKill} when the victim was killed; it held {heldByDeadVictim} VINs; " +
                         $"it recorded {victimSent}, the survivor {VinCount - victimSent}; {redelivered} notices delivered twice with the same id");
        Assert.True(victimSent > 0 && victimSent < VinCount);
    }

    private async Task StartVictimAsync()
    {
        var dll = AppBuildOutput();
        var httpPort = OtaAppFactory.FreeTcpPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["ConnectionStrings__Ota"] = db.ConnectionString,
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Redis__Database"] = redis.Database.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Redis__HangfirePrefix"] = redis.HangfirePrefix,
            ["Redis__HangfireWorkers"] = "3",
            ["Redis__SchedulePollingInterval"] = "00:00:01",
            ["Keys__MasterKey"] = TestEnvironment.MasterKey,
            ["Mqtt__Embedded"] = "false",
            ["Mqtt__Host"] = "127.0.0.1",
            ["Mqtt__Port"] = _world.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ota__InstanceName"] = "victim",
            ["Ota__DataFolder"] = Directory.CreateTempSubdirectory("ota-victim-").FullName,
            ["Push__ChunkSize"] = "500",
            ["Push__Workers"] = "2",
            ["Push__Lease"] = VictimLease.ToString(),
            ["Push__MaxNoticesPerSecond"] = "2000",
            ["Logging__LogLevel__Default"] = "Warning",
        })
            start.Environment[key] = value;

        _victim = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        _victim.OutputDataReceived += (_, e) => { lock (_victimLog) _victimLog.AppendLine(e.Data); };
        _victim.ErrorDataReceived += (_, e) => { lock (_victimLog) _victimLog.AppendLine(e.Data); };
        _victim.BeginOutputReadLine();
        _victim.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await MultiInstancePush.WaitUntilAsync(async () =>
        {
            if (_victim.HasExited) throw new InvalidOperationException($"The victim app exited with {_victim.ExitCode}:\n{VictimLog()}");
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{httpPort}/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(1));
    }

    private string VictimLog()
    {
        lock (_victimLog) return _victimLog.ToString();
    }

    /// <summary>The app as `./ota test` builds it with the solution: Ota.Web/bin/CONFIGURATION/net10.0/Ota.Web.dll.</summary>
    private static string AppBuildOutput()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name;
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Ota.sln"))) continue;
            var dll = Path.Combine(dir.FullName, "Ota.Web", "bin", configuration, here.Name, "Ota.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first (./ota test does).", dll);
        }
        throw new DirectoryNotFoundException($"No Ota.sln above {AppContext.BaseDirectory}.");
    }
}
