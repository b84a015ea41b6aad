using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.VinLists;
using Ota.Testing;
using Xunit.Abstractions;

namespace Ota.Web.Tests.Faults;

/// <summary>
/// An app instance killed (SIGKILL) while it validates chunks of a VIN list: its chunk leases run out and another
/// instance finishes the run, every VIN counted once. The victim is the real app in a process of its own.
/// </summary>
public sealed class KilledInstanceValidation(MariaDbFixture db, RedisFixture redis, ITestOutputHelper output)
    : IClassFixture<MariaDbFixture>, IClassFixture<RedisFixture>
{
    private const int VinCount = 600;
    private const int ChunkSize = 200;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task AfterAKilledInstancesChunkLeasesExpireTheOtherFinishesTheRunWithEveryVinCountedOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Validation:ChunkSize"] = ChunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Validation:ChunkLease"] = Lease.ToString(),
        };
        await using var tools = TestServices.Create(db, redis, settings);
        var fleet = new TestFleet(tools, db);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, VinCount).Select(n => TestFleet.TestVin(n, 'K')).ToList();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        var run = await tools.GetRequiredService<ValidationStaging>().StartAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, await fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
            {
                Task = new TaskSpec("validated through a crash", 0, null),
            }, vins);

        var victimSettings = AppProcess.VictimSettings(db, redis, settings);
        victimSettings["Redis:HangfireWorkers"] = "6";
        victimSettings["Redis:SchedulePollingInterval"] = "00:00:01";
        victimSettings["Mqtt:Port"] = "0"; // the broker takes a free port when it binds
        await using var victim = await AppProcess.StartAsync(victimSettings);

        // Hold the victim inside its chunks: the table its verdicts go to is locked, so it claims, judges, then waits.
        await using (var hold = new MySqlConnection(db.ConnectionString))
        {
            await hold.OpenAsync();
            await using (var lockTable = new MySqlCommand("LOCK TABLES ota_task_vin WRITE", hold)) await lockTable.ExecuteNonQueryAsync();
            tools.GetRequiredService<ValidationJobs>().EnqueueChunks(run);
            await Eventually.WaitUntilAsync(async () => await db.CountAsync("ota_validation_chunk",
                $"run_id = {run.Id} AND status = 'Running' AND claimed_by LIKE 'victim#%'") == VinCount / ChunkSize, TimeSpan.FromMinutes(1), "the victim to claim every chunk");
            await victim.KillAsync();
        }

        Assert.Equal(0, await db.CountAsync("ota_task_vin", $"task_id = {run.TaskId}"));
        Assert.Equal(VinCount / ChunkSize, await db.CountAsync("ota_validation_chunk",
            $"run_id = {run.Id} AND status = 'Running' AND claimed_by LIKE 'victim#%' AND lease_until > UTC_TIMESTAMP()"));

        // The survivor: another instance on the same database and job storage. Its recovery job (minutely; run now)
        // hands out the chunks whose lease has run out.
        await using var survivor = new OtaAppFactory(db, redis);
        foreach (var (key, value) in settings) survivor.Settings[key] = value;
        survivor.Settings["Ota:InstanceName"] = "survivor";
        _ = survivor.Server;
        var validation = survivor.Services.GetRequiredService<TaskValidationService>();
        await Eventually.WaitUntilAsync(async () => await db.CountAsync("ota_validation_chunk",
            $"run_id = {run.Id} AND lease_until > UTC_TIMESTAMP()") == 0, TimeSpan.FromMinutes(1), "the victim's leases to run out");
        survivor.Services.GetRequiredService<IRecurringJobManager>().Trigger("validation-recover-stalled-chunks");
        var progress = await validation.UntilFinishedAsync(run.Id, seconds: 60);

        Assert.Equal((ValidationRunStatus.Completed, VinCount, VinCount), (progress.Status, progress.VinsDone, progress.Accepted));
        Assert.Equal(VinCount, await db.CountAsync("ota_task_vin", $"task_id = {run.TaskId}"));
        Assert.Equal(VinCount, await db.CountAsync($"(SELECT DISTINCT vin FROM ota_task_vin WHERE task_id = {run.TaskId}) v"));
        Assert.Equal(VinCount / ChunkSize, await db.CountAsync("ota_validation_chunk",
            $"run_id = {run.Id} AND status = 'Done' AND claimed_by LIKE 'survivor#%' AND attempts = 2"));
        output.WriteLine($"the victim (pid {victim.Id}) claimed {VinCount / ChunkSize} chunks and was killed; the survivor finished them after the {Lease.TotalSeconds:0} s lease");
    }
}
