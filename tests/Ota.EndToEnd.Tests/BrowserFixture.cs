using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Fleet;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.VinLists;
using Ota.Testing;

namespace Ota.EndToEnd.Tests;

/// <summary>
/// The app on a real Kestrel port and the OS's Chromium driven by Playwright (no browser download), with the demo
/// catalog, a few S1-M1 vehicles and one console account per role.
/// </summary>
public sealed class BrowserFixture : AppFixture
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public TestFleet Fleet { get; private set; } = null!;
    public ConsoleLogins.Login Admin { get; private set; } = null!;
    public ConsoleLogins.Login Operator { get; private set; } = null!;
    public ConsoleLogins.Login Viewer { get; private set; } = null!;

    /// <summary>Vehicles a Normal S1-M1 task to 3.1.5 accepts.</summary>
    public static readonly string[] GoodVins = Enumerable.Range(1, 8).Select(i => TestFleet.TestVin(i, 'E')).ToArray();

    /// <summary>A registered S1-M1 vehicle whose firmware is unknown (FIRMWARE_UNKNOWN).</summary>
    public static readonly string UnknownFirmwareVin = TestFleet.TestVin(90, 'E');

    /// <summary>The rollout gates are evaluated every second, so a crossed error threshold pauses its task while the page watches.</summary>
    protected override void Configure(OtaAppFactory app)
    {
        app.Settings["Rollout:EvaluationInterval"] = "00:00:01";
        // Four-eyes publishing for tasks of more than 20 vehicles: the journeys' other tasks are smaller.
        app.Settings["Publishing:FourEyesAboveVehicles"] = "20";
    }

    protected override async Task StartAsync(OtaAppFactory app)
    {
        BaseUrl = app.StartOnLoopback();
        await SeedAsync(app.Services);
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    private async Task SeedAsync(IServiceProvider services)
    {
        Fleet = new TestFleet(services, Database);
        await Fleet.ImportDemoCatalogAsync();
        var rows = new List<VehicleRow>();
        foreach (var vin in GoodVins) rows.Add(await Fleet.VehicleAsync(vin));
        rows.Add(await Fleet.VehicleAsync(UnknownFirmwareVin, v => v with { FirmwareVersion = "0" }));
        await Fleet.AddVehiclesAsync(rows);
        await SeedTasksAsync();
        Admin = await ConsoleLogins.CreateAsync(services, ConsoleRoles.Admin, "admin@e2e.test");
        Operator = await ConsoleLogins.CreateAsync(services, ConsoleRoles.Operator, "operator@e2e.test");
        Viewer = await ConsoleLogins.CreateAsync(services, ConsoleRoles.Viewer, "viewer@e2e.test");
        var description = System.Text.Json.JsonSerializer.Serialize(new { descriptionId = "desc-e2e-1", vin = GoodVins[6], targetVersion = "3.1.5", ecus = Array.Empty<object>() });
        // Reports, a description served and messages as the vehicle API would leave them, so the dashboard and the operations pages have something to show.
        await Database.ExecuteAsync($"""
            INSERT INTO ota_vehicle_latest_status (vin, status_id, task_id, state, trigger_type, error_type, reported_at) VALUES
              ('{GoodVins[5]}', 1, NULL, 'Succeeded', 'NormalTask', NULL, UTC_TIMESTAMP()),
              ('{GoodVins[6]}', 2, NULL, 'Failed', 'NormalTask', 'UpgradeFailed', UTC_TIMESTAMP()),
              ('{GoodVins[7]}', 3, NULL, 'Failed', 'NormalTask', 'DownloadFailed', UTC_TIMESTAMP());
            INSERT INTO ota_vehicle_upgrade_status (event_id, vin, task_id, message_id, occurred_at, received_at, state, trigger_type, error_type, inner_error_code, version) VALUES
              ('00000000-0000-0000-0000-000000000001', '{GoodVins[6]}', NULL, NULL, UTC_TIMESTAMP(), UTC_TIMESTAMP(), 'Failed', 'NormalTask', 'UpgradeFailed', 'E42', NULL);
            INSERT INTO ota_document (collection, id, json, created_at) VALUES
              ('package_descriptions', 'desc-e2e-1', '{description}', UTC_TIMESTAMP());
            INSERT INTO ota_work_order (vin, task_id, error_type, inner_error_code, title, status, created_at) VALUES
              ('{GoodVins[6]}', NULL, 'UpgradeFailed', 'E42', 'Upgrade failed on {GoodVins[6]}', 'Open', UTC_TIMESTAMP());
            INSERT INTO ota_notification (channel, title, text, vin, task_id, delivery_status, attempts, last_error, created_at, delivered_at, is_read) VALUES
              ('OperationsAssistant', 'Upgrade failed', 'UpgradeFailed (E42) on {GoodVins[6]}', '{GoodVins[6]}', NULL, 'Local', 0, NULL, UTC_TIMESTAMP(), NULL, 0),
              ('WorkOrderGroup', 'Work order opened', 'Work order for {GoodVins[6]}', '{GoodVins[6]}', NULL, 'Failed', 3, 'connection refused', UTC_TIMESTAMP(), NULL, 0);
            """);
    }

    /// <summary>Tasks in several states (as earlier campaigns would have left them), for the dashboard and the task list.</summary>
    private async Task SeedTasksAsync()
    {
        await using var db = Database.NewContext();
        var sm = await Fleet.SeriesModelIdAsync("S1-M1");
        var now = DateTime.UtcNow;
        UpgradeTask NewTask(string name, int priority) => new()
        {
            Name = name, Type = TaskType.Normal, Source = TaskSource.Console, SeriesModelId = sm, TargetVersion = "3.1.5",
            Generation = Generation.OTA1, Priority = priority, CreatedBy = "seed", CreatedAt = now.AddDays(-1),
        };
        var published = NewTask("Spring campaign 3.1.5", 10);
        published.Publish(now.AddHours(-20), "seed");
        var executed = NewTask("Winter campaign 3.1.5", 0);
        executed.Publish(now.AddDays(-1), "seed");
        executed.MarkExecuted(now.AddHours(-22));
        var cancelled = NewTask("Pilot fleet 3.1.5", 5);
        cancelled.Cancel(now.AddHours(-23));
        db.Tasks.AddRange(published, executed, cancelled, NewTask("Summer campaign draft", 0));
        await db.SaveChangesAsync();
        db.TaskVins.AddRange(GoodVins.Take(5).Select(v => new TaskVin { TaskId = published.Id, Vin = v, State = TaskVinState.Pending, CreatedAt = now }));
        await db.SaveChangesAsync();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, AcceptDownloads = true });
        lock (_contexts) _contexts.Add(context);
        // The test machines are small and shared: waits are generous, and a slow step still fails, with its call log.
        context.SetDefaultNavigationTimeout(90_000);
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var said = new ConcurrentQueue<string>();
        _said.AddOrUpdate(page, said);
        page.Console += (_, message) => { if (message.Type is "error" or "warning") said.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {message.Type}: {message.Text}"); };
        page.PageError += (_, error) => said.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} page error: {error}");
        return page;
    }

    /// <summary>What each page's console said (errors and warnings: a dropped circuit, a failed script), for a failure's message.</summary>
    private readonly ConditionalWeakTable<IPage, ConcurrentQueue<string>> _said = new();

    /// <summary>
    /// Waits until the page's address matches <paramref name="glob"/> (<c>**</c>: any text; <c>*</c>: any text without a
    /// slash; anything else, <c>?</c> too, stands for itself), or fails saying where the page is instead and what its
    /// console said (a flaky wait is then diagnosed from the CI log, not guessed at).
    /// </summary>
    /// <remarks>
    /// Not <c>page.WaitForURLAsync</c>: that looks at the address, and when it does not match yet starts listening for
    /// the next navigation. A navigation that lands between the two (Blazor's NavigateTo, on a loaded machine) is missed,
    /// and the wait times out with the page at the right address (CI, stops 26 and 28). <see cref="IPage.Url"/> follows
    /// every navigation the browser reports, so polling it misses none.
    /// </remarks>
    public async Task WaitForUrlAsync(IPage page, string glob)
    {
        var pattern = new Regex("^" + string.Join(".*", glob.Split("**").Select(part => string.Join("[^/]*", part.Split('*').Select(Regex.Escape)))) + "$",
            RegexOptions.CultureInvariant);
        var waited = Stopwatch.StartNew();
        while (!pattern.IsMatch(page.Url))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                var reconnect = await page.Locator("#components-reconnect-modal, .components-reconnect-show").CountAsync();
                var said = _said.TryGetValue(page, out var lines) ? string.Join(Environment.NewLine, lines.TakeLast(20)) : "";
                throw new TimeoutException(
                    $"The page did not reach {glob} within 30 s: it is at {page.Url}, interactive={await page.Locator("body[data-interactive=true]").CountAsync() > 0}, " +
                    $"reconnect UI elements={reconnect}.{Environment.NewLine}Its console said:{Environment.NewLine}{(said.Length == 0 ? "(nothing)" : said)}");
            }
            await Task.Delay(25);
        }
        // No wait for the load state after it: WaitForLoadStateAsync has the same look-then-listen gap, and missed a
        // sign-in redirect's "load" (a clean-clone run, 2026-12-07). What a test does next waits for its element.
    }

    private readonly List<IBrowserContext> _contexts = [];

    /// <summary>
    /// Closes the pages a test opened. Each test does this when it ends: an open console page keeps its live refresh
    /// going (the dashboard every two seconds), and dozens of forgotten pages loaded the shared machine for the other tests.
    /// </summary>
    public async Task ClosePagesAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open) await context.CloseAsync();
    }

    /// <summary>A new browser page signed in through the sign-in form, on the dashboard, interactive.</summary>
    public async Task<IPage> SignedInPageAsync(ConsoleLogins.Login login)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(BaseUrl + "/account/login");
        await page.FillAsync("#email", login.Email);
        await page.FillAsync("#password", login.Password);
        await page.ClickAsync("[data-testid=sign-in]");
        await WaitForUrlAsync(page, BaseUrl + "/");
        await page.WaitForSelectorAsync("body[data-interactive=true]");
        return page;
    }

    /// <summary>Vehicles of a journey's own (letter <paramref name="letter"/>), so the other journeys' tasks keep theirs.</summary>
    public async Task<string[]> VehiclesAsync(char letter, int count)
    {
        var template = await Fleet.VehicleAsync(GoodVins[0]);
        var vins = Enumerable.Range(1, count).Select(n => TestFleet.TestVin(n, letter)).ToArray();
        await Fleet.AddVehiclesAsync(vins.Select(v => template with { Vin = v, Secret = $"s-{v}" }));
        return vins;
    }

    /// <summary>A draft Normal S1-M1 task to 3.1.5 of these VINs, validated as the console would, every VIN accepted.</summary>
    public async Task<long> DraftAsync(string name, string[] vins)
    {
        var progress = await App.Services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, await Fleet.SeriesModelIdAsync("S1-M1"), "3.1.5", Operator.Email)
            {
                Task = new TaskSpec(name, 0, null),
            }, vins);
        Assert.Equal(vins.Length, progress.Accepted);
        return progress.TaskId!.Value;
    }

    /// <summary>Opens a console page and waits until its circuit is interactive (input typed earlier would be lost).</summary>
    public async Task GotoAsync(IPage page, string path)
    {
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForSelectorAsync("body[data-interactive=true]");
    }

    /// <summary>
    /// A task's page, loaded: its funnel is drawn last, one database read after the rest, and pushes the Actions panel
    /// below it down; a click on an action before that could land while the button moves, and be lost.
    /// </summary>
    public async Task GotoTaskAsync(IPage page, long taskId)
    {
        await GotoAsync(page, $"/tasks/{taskId}");
        await Assertions.Expect(page.Locator("[data-testid=task-funnel]")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Chooses a file in a file input once the page listens to it. Blazor's InputFile (the VIN-list upload) and the
    /// console's package-file input attach their change listener just after the render that shows them; a file chosen
    /// before that is ignored without a word.
    /// </summary>
    public static async Task SetFilesAsync(ILocator input, string path)
    {
        await ListeningAsync(input);
        await input.SetInputFilesAsync(path);
    }

    /// <inheritdoc cref="SetFilesAsync(ILocator, string)"/>
    public static async Task SetFilesAsync(ILocator input, FilePayload file)
    {
        await ListeningAsync(input);
        await input.SetInputFilesAsync(file);
    }

    private static async Task ListeningAsync(ILocator input) =>
        await input.Page.WaitForFunctionAsync("e => e._blazorInputFileNextFileId !== undefined || e.otaAttached === true",
            await input.ElementHandleAsync(), new PageWaitForFunctionOptions { Timeout = 30_000 });

    /// <summary>Picks an item of a MudSelect by the start of its text.</summary>
    public static async Task SelectAsync(IPage page, string testId, string itemText)
    {
        await page.Locator($"[data-testid={testId}]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new LocatorFilterOptions { HasText = itemText }).First.ClickAsync();
    }

    /// <summary>Saves a screenshot in the folder OTA_SCREENSHOTS names (docs/screenshots/ for the README's pictures); nothing when unset.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var folder = Environment.GetEnvironmentVariable("OTA_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        folder = Path.GetFullPath(folder, Environment.GetEnvironmentVariable("OTA_CALLER_DIR") ?? Environment.CurrentDirectory);
        Directory.CreateDirectory(folder);
        // Let charts and tables settle (MudBlazor animates them in).
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
    }

    public override async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The browser tests share one app, database and browser; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "console";
}
