using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.Web.Tests.Validation;

/// <summary>The app with small chunks, so a few thousand VINs make many Hangfire jobs.</summary>
public sealed class SmallChunksAppFixture : AppFixture
{
    protected override void Configure(OtaAppFactory app) => app.Settings["Validation:ChunkSize"] = "250";
}

public sealed class BackgroundValidation(SmallChunksAppFixture fixture) : IClassFixture<SmallChunksAppFixture>
{
    [Fact]
    public async Task ChunksRunAsJobsAndEveryVinIsCountedOnceWithDuplicatesAndMalformedEntries()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var known = Enumerable.Range(1, 2000).Select(n => TestFleet.TestVin(n, 'K')).ToList();
        await fleet.AddVehiclesAsync(await Task.WhenAll(known.Select(v => fleet.VehicleAsync(v))));
        var unknown = Enumerable.Range(1, 500).Select(n => TestFleet.TestVin(n, 'U'));
        var duplicates = known.Take(300).Select(v => v.ToLowerInvariant());
        var malformed = Enumerable.Range(1, 200).Select(n => $"BAD{n}");
        var list = known.Concat(unknown).Concat(duplicates).Concat(malformed).Concat(known.Skip(10).Take(1)).ToList();

        var validation = services.GetRequiredService<TaskValidationService>();
        var request = new ValidationRequest(TaskType.Normal, TaskSource.Console, await fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
        {
            Task = new TaskSpec("background", 0, null),
        };
        var runId = await validation.StartInBackgroundAsync(request, list);
        var progress = await validation.UntilFinishedAsync(runId);

        Assert.Equal(ValidationRunStatus.Completed, progress.Status);
        Assert.Equal(3001, progress.TotalEntries);
        Assert.Equal(2500, progress.DistinctVins);
        Assert.Equal(10, progress.ChunkCount);
        Assert.Equal(10, progress.ChunksDone);
        Assert.Equal(2500, progress.VinsDone);
        Assert.Equal(2000, progress.Accepted);
        Assert.Equal(500, progress.RejectedByReason["VEHICLE_NOT_FOUND"]);
        Assert.Equal(300, progress.RejectedByReason["VIN_DUPLICATE"]);
        Assert.Equal(200, progress.RejectedByReason["VIN_MALFORMED"]);
        Assert.Equal(1000, progress.Rejected);
        Assert.Equal(2000, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {progress.TaskId}"));
        Assert.Equal(1000, await fixture.Database.CountAsync("ota_validation_rejection", $"run_id = {runId}"));
    }

    [Fact]
    public async Task AChunkLeftByADeadWorkerIsTakenOverWhenItsLeaseExpires()
    {
        var services = fixture.App.Services;
        var fleet = new TestFleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, 600).Select(n => TestFleet.TestVin(n, 'L')).ToList();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        var staging = services.GetRequiredService<ValidationStaging>();
        var request = new ValidationRequest(TaskType.Normal, TaskSource.Console, await fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
        {
            Task = new TaskSpec("takeover", 0, null),
        };
        // Staged but not enqueued: as if the instance that staged it had claimed chunk 1 and died.
        var run = await staging.StartAsync(request, vins);
        await fixture.Database.ExecuteAsync(
            $"UPDATE ota_validation_chunk SET status = 'Running', claimed_by = 'dead-instance', lease_until = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE run_id = {run.Id} AND chunk = 1");
        var processor = services.GetRequiredService<ValidationChunkProcessor>();
        Assert.True(await processor.ProcessAsync(run.Id, 0));
        Assert.True(await processor.ProcessAsync(run.Id, 2));
        Assert.False(await processor.ProcessAsync(run.Id, 0)); // done chunks are not redone

        await services.GetRequiredService<ValidationJobs>().RecoverStalledChunksAsync(CancellationToken.None);
        var progress = await services.GetRequiredService<TaskValidationService>().UntilFinishedAsync(run.Id);

        Assert.Equal(ValidationRunStatus.Completed, progress.Status);
        Assert.Equal(600, progress.Accepted);
        Assert.Equal(600, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {progress.TaskId}"));
        Assert.Equal(1, await fixture.Database.CountAsync("ota_validation_chunk", $"run_id = {run.Id} AND chunk = 1 AND attempts = 1 AND claimed_by <> 'dead-instance'"));
    }
}
