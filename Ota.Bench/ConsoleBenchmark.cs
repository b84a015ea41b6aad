using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MySqlConnector;
using Ota.Domain;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench console`: the console's interactivity at fleet scale (issue 17). On a registry with a million bench
/// vehicles and a published million-VIN task, Chromium opens the task list, the task page and the fleet-versions page
/// nine times each (after a warm-up) and the median time from navigation to an interactive page showing its figures is
/// printed; then what one open task page costs the database: its SELECTs a second and the time they take.
/// </summary>
internal sealed class ConsoleBenchmark : IBenchmark
{
    private const string VinPrefix = "LCB00";
    private const string TaskName = "bench console";
    private const string Login = "bench-console@ota.local";

    public string Name => "console";
    public string Usage => "[--vehicles N] (default 1000000; bench vehicles LCB00…, kept for the next run unless --clean) [--runs N] (default 9)";
    public bool NeedsRunningApp => true;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var log = context.Out;
        var services = context.Services;
        var n = context.IntArg("--vehicles", 1_000_000);
        var runs = context.IntArg("--runs", 9);
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        var setup = Stopwatch.StartNew();

        long seriesModelId;
        if (await BenchData.CountAsync(connections, "ota_vehicle", VinPrefix, ct) < n)
            seriesModelId = await BenchData.CreateFleetAsync(services, VinPrefix, n, log, ct);
        else
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync(ct);
            seriesModelId = await db.SeriesModels.Where(s => s.Code == "S1-M1").Select(s => s.Id).SingleAsync(ct);
        }
        var taskId = await TaskAsync(services, seriesModelId, n, log, ct);
        var total = await Scalar(connections, "SELECT COUNT(*) FROM ota_vehicle", ct);
        var taskVins = await Scalar(connections, $"SELECT COUNT(*) FROM ota_task_vin WHERE task_id = {taskId}", ct);
        log.WriteLine($"registry: {total:N0} vehicles; task {taskId}: {taskVins:N0} VINs (setup {setup.Elapsed.TotalSeconds:0} s)");

        var issued = await services.GetRequiredService<ConsoleAccounts>().CreateOrResetAsync(Login, ConsoleRoles.Viewer, ct: ct);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("OTA_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var baseUrl = context.BaseUrl.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
        await page.GotoAsync(baseUrl + "/account/login");
        await page.FillAsync("#email", issued.Email);
        await page.FillAsync("#password", issued.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await page.WaitForURLAsync(baseUrl + "/");

        (string Name, string Path, string[] Shown)[] pages =
        [
            ("task_list", "/tasks", ["[data-testid=task-link]"]),
            ("task_page", $"/tasks/{taskId}", ["[data-testid=task-funnel] [data-testid=funnel-count]", "[data-testid=task-vins] tbody tr td"]),
            ("fleet_versions", "/fleet-versions", ["[data-testid=firmware-distribution] tbody tr"]),
        ];
        var medians = new List<(string, double)>();
        foreach (var (name, path, shown) in pages)
        {
            var times = new List<double>();
            for (var i = 0; i <= runs; i++)
            {
                var clock = Stopwatch.StartNew();
                await page.GotoAsync(baseUrl + path);
                await page.WaitForSelectorAsync("body[data-interactive=true]", new PageWaitForSelectorOptions { Timeout = 60_000 });
                foreach (var selector in shown)
                    await page.Locator(selector).First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
                if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first opening warms the caches and the JIT
            }
            times.Sort();
            var median = times[times.Count / 2];
            log.WriteLine($"{path}: median {median:0} ms of {times.Count} (fastest {times[0]:0}, slowest {times[^1]:0})");
            medians.Add((name, median));
        }

        // What an open task page costs: SELECTs a second and their time, the page open against no page open.
        await page.GotoAsync("about:blank");
        var idle = await MeasureAsync(connections, TimeSpan.FromSeconds(10), ct);
        await page.GotoAsync(baseUrl + $"/tasks/{taskId}");
        await page.WaitForSelectorAsync("body[data-interactive=true]");
        await Task.Delay(2000, ct);
        var open = await MeasureAsync(connections, TimeSpan.FromSeconds(10), ct);
        await page.GotoAsync("about:blank");
        var selects = (open.Selects - idle.Selects) / 10.0;
        log.WriteLine($"an open task page: {selects:0.#} SELECTs a second more than none open (idle {idle.Selects / 10.0:0.#}/s); " +
                      $"one refresh's counts take {open.CountMs:0} ms");

        foreach (var (name, median) in medians) context.Result($"console_{name}_median_ms", median, "ms");
        context.Result("console_task_page_selects_per_s", selects, "SELECT/s");
        context.Result("console_task_page_counts_ms", open.CountMs, "ms");
        if (context.Args.Contains("--clean"))
            log.WriteLine($"removed {await BenchData.RemoveAsync(connections, VinPrefix, ct, TaskName):N0} bench rows");
        return 0;
    }

    /// <summary>The bench's published task of every bench vehicle, made (validated as the console would) when missing.</summary>
    private static async Task<long> TaskAsync(IServiceProvider services, long seriesModelId, int n, TextWriter log, CancellationToken ct)
    {
        var name = $"{TaskName} {n:N0}";
        await using (var db = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync(ct))
        {
            var existing = await db.Tasks.Where(t => t.Name == name && t.CreatedBy == "bench" && t.Status == UpgradeTaskStatus.Published)
                .Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            if (existing is { } id) return id;
        }
        log.WriteLine($"creating a published task of {n:N0} VINs (validated as the console would; sent from tomorrow) …");
        var progress = await services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
            {
                Task = new TaskSpec(name, 0, DateTime.UtcNow.AddDays(1)),
                PublishWhenDone = true,
            }, Enumerable.Range(1, n).Select(i => (string?)BenchData.VinOf(VinPrefix, i)), ct);
        return progress.TaskId ?? throw new InvalidOperationException($"The bench task was not created: {progress.Status} {progress.Error}");
    }

    /// <summary>SELECTs the server ran over <paramref name="period"/>, and how long the task page's count of its VINs by state takes now.</summary>
    private static async Task<(long Selects, double CountMs)> MeasureAsync(MySqlConnectionFactory connections, TimeSpan period, CancellationToken ct)
    {
        var before = await Scalar(connections, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_SELECT'", ct);
        await Task.Delay(period, ct);
        var after = await Scalar(connections, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'COM_SELECT'", ct);
        var clock = Stopwatch.StartNew();
        await Scalar(connections, $"SELECT COUNT(*) FROM (SELECT state, rollout_group, COUNT(*) FROM ota_task_vin WHERE task_id = (SELECT MAX(id) FROM ota_task WHERE name LIKE '{TaskName}%') GROUP BY state, rollout_group) c", ct);
        // This measure's own statements are the same with the page open and closed: the difference is the page's.
        return (after - before, clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<long> Scalar(MySqlConnectionFactory connections, string sql, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
