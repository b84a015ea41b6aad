using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MiniExcelLibs;
using Ota.Infrastructure.Operations;
using Ota.Infrastructure.Platform.Identity;
using Ota.Testing;

namespace Ota.Web.Tests.Components;

/// <summary>The failures across tasks as the dashboard counts them and exports them, and the follow-up backlog beside them.</summary>
public sealed class FailuresAcrossTasks(ConsoleWorld world) : IClassFixture<ConsoleWorld>
{
    private static readonly string[] Vins = [TestFleet.TestVin(1, 'K'), TestFleet.TestVin(2, 'K'), TestFleet.TestVin(3, 'K')];

    private async Task ReportedAsync()
    {
        // Latest reports as the vehicle API leaves them: two failures of different types, and an error on a report that is not a failure.
        await world.Database.ExecuteAsync($"""
            INSERT IGNORE INTO ota_vehicle_latest_status (vin, status_id, task_id, state, trigger_type, error_type, reported_at) VALUES
              ('{Vins[0]}', 101, 41, 'Failed', 'NormalTask', 'DownloadFailed', UTC_TIMESTAMP()),
              ('{Vins[1]}', 102, 42, 'Failed', 'NormalTask', 'UpgradeFailed', UTC_TIMESTAMP()),
              ('{Vins[2]}', 103, 42, 'Downloading', 'NormalTask', 'DownloadFailed', UTC_TIMESTAMP());
            """);
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var client = world.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        await ConsoleLogins.SignInAsync(client, await ConsoleLogins.CreateAsync(world.App.Services, ConsoleRoles.Viewer));
        return client;
    }

    private static async Task<List<IDictionary<string, object>>> RowsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return MiniExcel.Query(body, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
    }

    [Fact]
    public async Task TheExportHoldsTheFailuresTheDashboardCountsOfOneTypeOrAll()
    {
        await ReportedAsync();
        using var client = await SignedInAsync();
        var figures = await world.As<OperationsQueries>(ConsoleRoles.Viewer).DashboardAsync();

        var all = await RowsAsync(await client.GetAsync("/console/downloads/failures.xlsx"));
        var download = await RowsAsync(await client.GetAsync("/console/downloads/failures.xlsx?error=DownloadFailed"));

        Assert.Equal(figures.FailuresByError.Values.Sum(), all.Count);
        Assert.Equal([Vins[0], Vins[1]], all.Select(r => (string)r["VIN"]).Where(v => Vins.Contains(v)).Order());
        Assert.Equal([(Vins[0], "DownloadFailed", 41.0)], download.Select(r => ((string)r["VIN"], (string)r["ErrorType"], Convert.ToDouble(r["Task"]))));
    }

    [Fact]
    public async Task AnErrorTypeThatIsNotOneIsRefusedWithItsCode()
    {
        using var client = await SignedInAsync();

        var response = await client.GetAsync("/console/downloads/failures.xlsx?error=1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"code\":\"ERROR_TYPE_INVALID\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDashboardCountsTheFollowUpsWaitingAndTheOldest()
    {
        var before = (await world.As<OperationsQueries>(ConsoleRoles.Viewer).DashboardAsync()).FollowUps.Waiting;
        await world.Database.ExecuteAsync($"""
            INSERT INTO ota_follow_up (status_id, vin, task_id, step, state, attempts, next_attempt_at, created_at) VALUES
              (9001, '{Vins[0]}', NULL, 'MobilePush', 'Pending', 1, UTC_TIMESTAMP() + INTERVAL 1 HOUR, UTC_TIMESTAMP() - INTERVAL 2 HOUR),
              (9002, '{Vins[1]}', NULL, 'MobilePush', 'Done', 1, UTC_TIMESTAMP(), UTC_TIMESTAMP() - INTERVAL 3 HOUR);
            """);

        var backlog = (await world.As<OperationsQueries>(ConsoleRoles.Viewer).DashboardAsync()).FollowUps;

        Assert.Equal(before + 1, backlog.Waiting);
        Assert.True(backlog.OldestSince <= DateTime.UtcNow.AddMinutes(-119), $"oldest {backlog.OldestSince:O}");
    }
}
