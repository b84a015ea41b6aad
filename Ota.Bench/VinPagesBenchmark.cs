using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.VinLists;
using Ota.Web.Apis;

namespace Ota.Bench;

/// <summary>
/// `./ota bench vin-pages`: <c>GET /ota/open/api/task/{id}/vins</c> on a task of a million VINs (SPEC §16), over HTTP
/// through the whole pipeline (key, scope, rate limit), at the first, the middle and the last page, without a state and
/// with one. The task is a published three-group rollout scheduled for next year (the push leaves it alone); its
/// million task-VINs (LVPAG…, five states, three groups) are written straight into the table and kept for the next run.
/// </summary>
internal sealed class VinPagesBenchmark : IBenchmark
{
    private const string VinPrefix = "LVPAG";
    private const string TaskName = "bench vin pages";

    public string Name => "vin-pages";
    public string Usage => "--vins N (1000000) --limit L (100) --samples S (100 per page and filter; the key's rate limit paces them)";
    public bool NeedsRunningApp => true;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var n = context.IntArg("--vins", 1_000_000);
        var limit = context.IntArg("--limit", 100);
        var samples = context.IntArg("--samples", 100);
        var services = context.Services;
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        var setup = Stopwatch.StartNew();
        var taskId = await TaskAsync(services, n, context.Out, ct);
        context.Out.WriteLine($"task {taskId}: {await ScalarAsync(connections, $"SELECT COUNT(*) FROM ota_task_vin WHERE task_id = {taskId}", ct):N0} VINs " +
            $"(setup {setup.Elapsed.TotalSeconds:0} s); pages of {limit}, {samples} calls each");

        var (_, key) = await services.GetRequiredService<ApiKeyStore>()
            .CreateAsync($"bench-vin-pages-{Guid.NewGuid():N}"[..40], scopes: [ApiScopes.TasksRead], ct: ct);
        using var http = new HttpClient { BaseAddress = new Uri(context.BaseUrl.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1")) };
        http.DefaultRequestHeaders.Add(ApiKeyAuth.Header, key);

        var failures = 0;
        var results = new List<(string Name, double P50, double P99)>();
        foreach (var state in new TaskVinState?[] { null, TaskVinState.Failed })
        {
            var where = state is null ? "" : $" AND state = {Sql.Text(state.Value)}";
            var count = await ScalarAsync(connections, $"SELECT COUNT(*) FROM ota_task_vin WHERE task_id = {taskId}{where}", ct);
            // The cursors a client walking the task would hold at the middle and at the last page (setup, not measured).
            var middle = await VinAtAsync(connections, taskId, where, count / 2 - 1, ct);
            var last = await VinAtAsync(connections, taskId, where, count - limit - 1, ct);
            foreach (var (position, cursor) in new[] { ("first", (string?)null), ("middle", middle), ("last", last) })
            {
                var url = $"/ota/open/api/task/{taskId}/vins?limit={limit}{(state is null ? "" : $"&state={state}")}" +
                          $"{(cursor is null ? "" : $"&cursor={VinCursor.Encode(cursor)}")}";
                var times = new List<double>();
                for (var i = 0; i < samples + 5; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using var response = await http.GetAsync(url, ct);
                    var body = await response.Content.ReadAsStringAsync(ct);
                    clock.Stop();
                    if (!response.IsSuccessStatusCode || !Checks(body, limit, position == "last"))
                    {
                        failures++;
                        context.Out.WriteLine($"  {position}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
                    }
                    if (i >= 5) times.Add(clock.Elapsed.TotalMilliseconds); // the first few warm the path up
                    // The key's bucket (RateLimits:ApiKeyPerSecond, 10/s by default) paces the calls, as it would a client's.
                    await Task.Delay(TimeSpan.FromMilliseconds(110), ct);
                }
                times.Sort();
                var name = $"{(state is null ? "" : "state_")}{position}";
                results.Add((name, Percentile(times, 0.50), Percentile(times, 0.99)));
                context.Out.WriteLine(FormattableString.Invariant(
                    $"{(state is null ? "all states" : $"state={state}"),-14} {position,-7} page  p50 {Percentile(times, 0.50),6:0.0} ms   p99 {Percentile(times, 0.99),6:0.0} ms   max {times[^1],6:0.0} ms   ({count:N0} VINs)"));
            }
        }
        context.Out.WriteLine();
        foreach (var (name, p50, p99) in results)
        {
            context.Result($"vin_page_{name}_p50_ms", p50, "ms");
            context.Result($"vin_page_{name}_p99_ms", p99, "ms");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>A full page in VIN order; the last page says there is no next.</summary>
    private static bool Checks(string body, int limit, bool last)
    {
        using var page = JsonDocument.Parse(body);
        var items = page.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("vin").GetString()!).ToList();
        var next = page.RootElement.GetProperty("next");
        return items.Count == limit && items.SequenceEqual(items.Order(StringComparer.Ordinal))
            && (last ? next.ValueKind == JsonValueKind.Null : next.ValueKind == JsonValueKind.String);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<long> TaskAsync(IServiceProvider services, int n, TextWriter log, CancellationToken ct)
    {
        var name = $"{TaskName} {n:N0}";
        long seriesModelId;
        List<string> demoVins;
        await using (var db = await services.GetRequiredService<IDbContextFactory<OtaDbContext>>().CreateDbContextAsync(ct))
        {
            var existing = await db.Tasks.Where(t => t.Name == name && t.CreatedBy == "bench" && t.Status == UpgradeTaskStatus.Published)
                .Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
            if (existing is { } id && await db.TaskVins.CountAsync(v => v.TaskId == id, ct) >= n) return id;
            if (!await db.SeriesModels.AnyAsync(s => s.Code == "S1-M1", ct))
                await services.GetRequiredService<DemoWorld>().LoadAsync(2000, ifMissing: true, log, ct);
            seriesModelId = await db.SeriesModels.Where(s => s.Code == "S1-M1").Select(s => s.Id).SingleAsync(ct);
            demoVins = await db.Vehicles.Where(v => v.SeriesModelId == seriesModelId).OrderBy(v => v.Vin).Select(v => v.Vin).Take(50).ToListAsync(ct);
        }
        log.WriteLine($"creating a published three-group task of {n:N0} VINs (sent from next year) …");
        var plan = RolloutPlanRules.Check(new RolloutPlan
        {
            Groups = [new RolloutGroupPlan("pilot", 1), new RolloutGroupPlan("wave", 20), new RolloutGroupPlan("all", 100)],
        });
        var progress = await services.GetRequiredService<TaskValidationService>().ValidateNowAsync(
            new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
            {
                Task = new TaskSpec(name, 0, DateTime.UtcNow.AddYears(1), plan),
                PublishWhenDone = true,
            }, demoVins, ct);
        var taskId = progress.TaskId ?? throw new InvalidOperationException($"The bench task was not created: {progress.Status} {progress.Error}");
        // The rest straight into the table: five states, spread over the three groups as publishing spreads them.
        TaskVinState[] states = [TaskVinState.Pending, TaskVinState.Notified, TaskVinState.Downloading, TaskVinState.Succeeded, TaskVinState.Failed];
        await using var connection = await services.GetRequiredService<MySqlConnectionFactory>().OpenAsync(ct);
        await Sql.ExecAsync(connection, null, $"""
            INSERT INTO ota_task_vin (task_id, vin, state, is_resend, rollout_group, resend_count, is_delete, created_at)
            SELECT {taskId}, CONCAT('{VinPrefix}', LPAD(seq, 12, '0')), ELT(1 + seq % 5, {string.Join(", ", states.Select(Sql.Text))}),
                   0, CASE WHEN seq % 100 = 0 THEN 0 WHEN seq % 5 = 1 THEN 1 ELSE 2 END, 0, 0, UTC_TIMESTAMP()
            FROM seq_1_to_{n - progress.Accepted}
            """, ct);
        await Sql.ExecAsync(connection, null, "ANALYZE TABLE ota_task_vin", ct);
        return taskId;
    }

    private static async Task<string> VinAtAsync(MySqlConnectionFactory connections, long taskId, string where, long offset, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        return (string)(await Sql.ScalarAsync(connection, null,
            $"SELECT vin FROM ota_task_vin WHERE task_id = {taskId}{where} ORDER BY vin LIMIT 1 OFFSET {Math.Max(0, offset)}", ct))!;
    }

    private static async Task<long> ScalarAsync(MySqlConnectionFactory connections, string sql, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
