using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Ota.Domain;
using Ota.Infrastructure.Jobs;
using Ota.Infrastructure.Validation;
using Ota.Testing;

namespace Ota.Web.Tests.Faults;

/// <summary>The app on a Redis of its own, which the tests stop and start.</summary>
public sealed class PrivateRedisAppFixture : AppFixture
{
    public RedisServerProcess PrivateRedis { get; } = new();

    protected override Task BeforeStartAsync() => PrivateRedis.StartAsync();

    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["ConnectionStrings:Redis"] = PrivateRedis.ConnectionString;
        app.Settings["Redis:Database"] = "0";
        app.Settings["Validation:ChunkSize"] = "100";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PrivateRedis.DisposeAsync();
    }
}

public sealed class RedisOutage(PrivateRedisAppFixture fixture) : IClassFixture<PrivateRedisAppFixture>
{
    [Fact]
    public async Task ValidationFinishesFromMySqlWhileRedisIsDownAndJobsResumeWhenItReturns()
    {
        var services = fixture.App.Services;
        var fleet = new Fleet(services, fixture.Database);
        await fleet.ImportDemoCatalogAsync();
        var vins = Enumerable.Range(1, 450).Select(n => Fleet.TestVin(n, 'R')).ToList();
        await fleet.AddVehiclesAsync(await Task.WhenAll(vins.Select(v => fleet.VehicleAsync(v))));
        var validation = services.GetRequiredService<TaskValidationService>();
        var request = new ValidationRequest(TaskType.Normal, TaskSource.Console, await fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", "test")
        {
            Task = new TaskSpec("while redis is down", 0, null),
        };
        using var client = fixture.App.CreateClient();

        await fixture.PrivateRedis.StopAsync();
        try
        {
            var runId = await validation.StartInBackgroundAsync(request, vins);
            var progress = await validation.UntilFinishedAsync(runId, seconds: 60);

            Assert.Equal(ValidationRunStatus.Completed, progress.Status);
            Assert.Equal(450, progress.Accepted);
            Assert.Equal(450, await fixture.Database.CountAsync("ota_task_vin", $"task_id = {progress.TaskId}"));
            Assert.True(services.GetRequiredService<LocalWorkQueue>().TakenOver >= 5);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        }
        finally
        {
            await fixture.PrivateRedis.StartAsync();
        }

        // Redis is back: the app reconnects by itself and health turns green again.
        var healthy = false;
        for (var i = 0; i < 50 && !healthy; i++)
        {
            healthy = (await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK;
            if (!healthy) await Task.Delay(200);
        }
        Assert.True(healthy, "health did not recover after Redis came back");
    }
}
