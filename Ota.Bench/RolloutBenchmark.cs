using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.FollowUps;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Mqtt;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Security;
using Ota.Infrastructure.Rollouts;
using Ota.Infrastructure.Tasks;
using Ota.Web.Apis;

namespace Ota.Bench;

/// <summary>
/// `./ota bench rollout --vehicles N`: staged rollouts (SPEC §12) against the fleet simulator. A task of N VINs (the
/// bench's own, LBRLT…) is published through the open API with rollout groups of 1 %, 10 % and 100 %, an error
/// threshold of 5 % once 20 of a group have finished, and the next group at 95 % succeeded.
/// <list type="number">
/// <item>A bad package: the simulator fails a share of the vehicles (30 %, chosen by a hash of the VIN) for the target
/// version. The task must pause within the evaluation interval of the status report that crossed the threshold, with
/// no notice after the pause and none beyond the first group.</item>
/// <item>A good package: the task must go through its groups to the last VIN with no operator action; how long the
/// groups waited at their gates is measured.</item>
/// </list>
/// Times are the app's own records (receipt of status reports, the pause, the groups' gates, the notices) and the
/// simulator's log of the notices it received; all on this machine's clock. Everything the run created is removed afterwards.
/// </summary>
internal sealed class RolloutBenchmark : IBenchmark
{
    private const string VinPrefix = "LBRLT";
    private const string TaskName = "bench rollout";
    private const string ApiKeyName = "bench-rollout";
    private const string TargetVersion = "3.1.5";
    private const double ErrorThreshold = 5;
    private const int MinFinished = 20;
    private const double SuccessThreshold = 95;
    private static readonly (string Name, double Percent)[] Groups = [("pilot", 1), ("wave", 10), ("everyone", 100)];

    public string Name => "rollout";
    public string Usage => "--vehicles N   (default 100000; bench vehicles LBRLT…) [--fail-share R] (share of the vehicles the bad package fails, " +
                           "default 0.3) [--concurrency C] (simulated vehicles working at once, default 64)";
    public bool NeedsRunningApp => true;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var n = context.IntArg("--vehicles", 100_000);
        var failShare = context.DoubleArg("--fail-share", 0.3);
        var concurrency = context.IntArg("--concurrency", 64);
        var services = context.Services;
        var log = context.Out;
        var simulatorDll = Environment.GetEnvironmentVariable("OTA_SIMULATOR_DLL");
        if (simulatorDll is null || !File.Exists(simulatorDll))
        {
            log.WriteLine("the fleet simulator is not built (OTA_SIMULATOR_DLL); run this through ./ota bench rollout");
            return 2;
        }
        var connections = services.GetRequiredService<MySqlConnectionFactory>();
        var folder = Path.Combine(services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench");
        Directory.CreateDirectory(folder);
        var interval = services.GetRequiredService<IOptions<RolloutOptions>>().Value.EvaluationInterval;

        await RemoveBenchDataAsync(connections, log, ct);
        await RemoveApiKeyAsync(connections, ct);
        var (_, secret) = await services.GetRequiredService<ApiKeyStore>().CreateAsync(ApiKeyName, ct: ct);
        using var api = new HttpClient { BaseAddress = new Uri(context.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Add(ApiKeyAuth.Header, secret);
        var run = new Run(context, connections, api, simulatorDll, Path.Combine(folder, "rollout-vehicles.csv"), folder,
            services.GetRequiredService<EmbeddedMqttBroker>().Port, n, concurrency, interval);
        try
        {
            log.WriteLine($"{n:N0} VINs, rollout groups {string.Join(" / ", Groups.Select(g => $"{g.Name} {g.Percent:0.#} %"))} (cumulative); " +
                          $"pause at {ErrorThreshold:0.#} % failed once {MinFinished} of a group have finished; next group at {SuccessThreshold:0.#} % succeeded; " +
                          $"Rollout:EvaluationInterval {interval.TotalSeconds:0.#} s");
            await BenchData.CreateFleetAsync(services, VinPrefix, n, log, ct);
            await BenchData.WriteVehiclesFileAsync(run.VehiclesFile, VinPrefix, n, ct);

            log.WriteLine();
            log.WriteLine($"== a bad package: {failShare:P0} of the vehicles (by a hash of the VIN) fail their upgrade to {TargetVersion} ==");
            var bad = await BadPackageAsync(run, failShare, ct);

            // The bad run's paused task holds the other VINs, and its upgraded vehicles are at the target version now:
            // the good run starts from a fresh fleet.
            await RemoveBenchDataAsync(connections, log, ct);
            await BenchData.CreateFleetAsync(services, VinPrefix, n, log, ct);

            log.WriteLine();
            log.WriteLine("== a good package: no vehicle fails ==");
            var good = await GoodPackageAsync(run, ct);

            log.WriteLine();
            context.Result("rollout_vehicles", n, "VINs");
            if (bad is not null)
            {
                context.Result("rollout_bad_first_group_size", bad.FirstGroupSize, "VINs");
                context.Result("rollout_bad_vehicles_notified", bad.VehiclesNotified, "VINs");
                context.Result("rollout_bad_pause_seconds", bad.PauseSeconds ?? double.NaN, "s");
                context.Result("rollout_bad_crossing_decided_seconds", bad.DecidedSeconds ?? double.NaN, "s");
                context.Result("rollout_bad_notices_received_after_pause", bad.ReceivedAfterPause, "notices");
                context.Result("rollout_bad_notice_rows_after_pause", bad.RowsAfterPause, "notices");
            }
            if (good is not null)
            {
                context.Result("rollout_good_first_group_size", good.FirstGroupSize, "VINs");
                context.Result("rollout_good_complete_seconds", good.CompleteSeconds, "s");
                context.Result("rollout_good_state_complete_seconds", good.StateCompleteSeconds, "s");
                context.Result("rollout_good_gate_wait_seconds", good.GateWaits.Sum(), "s");
                for (var k = 0; k < good.GateWaits.Count; k++)
                    context.Result($"rollout_good_gate{k + 1}_wait_seconds", good.GateWaits[k], "s");
            }
            var ok = bad is { Paused: true, VehiclesNotified: var notified, FirstGroupSize: var size, ReceivedAfterPause: 0 } && notified <= size
                     && good is { AllSucceeded: true };
            return ok ? 0 : 1;
        }
        finally
        {
            await RemoveApiKeyAsync(connections, CancellationToken.None);
            await RemoveBenchDataAsync(connections, TextWriter.Null, CancellationToken.None);
        }
    }

    /// <summary>What a run needs: the app, its open API with a key, the simulator and the fleet file.</summary>
    private sealed record Run(BenchmarkContext Context, MySqlConnectionFactory Connections, HttpClient Api, string SimulatorDll, string VehiclesFile,
        string Folder, int MqttPort, int Vehicles, int Concurrency, TimeSpan Interval)
    {
        public TextWriter Log => Context.Out;
    }

    /// <param name="PauseSeconds">From the receipt of the crossing report to the pause.</param>
    /// <param name="DecidedSeconds">From the receipt of the crossing report to its follow-up's decision, which sets the task-VIN state the gates count.</param>
    private sealed record BadOutcome(bool Paused, long FirstGroupSize, long VehiclesNotified, double? PauseSeconds, double? DecidedSeconds,
        long ReceivedAfterPause, long RowsAfterPause);

    /// <param name="CompleteSeconds">From publish to the receipt of the last VIN's success report.</param>
    /// <param name="StateCompleteSeconds">From publish to the open API showing every VIN succeeded (the follow-ups have set the task-VINs' states).</param>
    private sealed record GoodOutcome(bool AllSucceeded, long FirstGroupSize, double CompleteSeconds, double StateCompleteSeconds, IReadOnlyList<double> GateWaits);

    private static async Task<BadOutcome?> BadPackageAsync(Run run, double failShare, CancellationToken ct)
    {
        var log = run.Log;
        var noticeLog = Path.Combine(run.Folder, "rollout-bad-notices.csv");
        await using var fleet = StartFleet(run, noticeLog, "--fail-version", TargetVersion, "--fail-share", failShare.ToString(CultureInfo.InvariantCulture));
        var (taskId, accepted) = await PublishAsync(run, $"{TaskName} bad {run.Vehicles:N0}", ct);
        if (taskId is not { } id) return null;

        // Until the task pauses, or it is clear that it will not: the first group has finished and several rounds passed.
        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        TimeSpan? groupDoneAt = null;
        TaskView view;
        while (true)
        {
            view = await GetTaskAsync(run.Api, id, ct);
            if (view.State == nameof(UpgradeTaskStatus.Paused)) break;
            var first = view.Groups[0];
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(2))
            {
                log.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds,6:0.0} s  task {view.State}, {Describe(view)}"));
                lastPrint = clock.Elapsed;
            }
            if (first.Finished >= first.Size && groupDoneAt is null) groupDoneAt = clock.Elapsed;
            if ((groupDoneAt is { } done && clock.Elapsed - done > 6 * run.Interval + TimeSpan.FromSeconds(30)) || clock.Elapsed > TimeSpan.FromMinutes(15)
                || fleet.HasExited)
            {
                log.WriteLine($"NO PAUSE: the task is {view.State} {clock.Elapsed.TotalSeconds:0} s after the push; {Describe(view)}");
                break;
            }
            await Task.Delay(250, ct);
        }
        var paused = view.State == nameof(UpgradeTaskStatus.Paused);
        if (paused) log.WriteLine($"  {clock.Elapsed.TotalSeconds,6:0.0} s  task Paused ({view.PauseCode}), {Describe(view)}");
        // What was in flight arrives, and more evaluation rounds pass, before the fleet is asked what it received.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(15, 3 * run.Interval.TotalSeconds)), ct);
        var summary = await fleet.StopAsync(ct);
        log.WriteLine($"fleet: {summary}");

        await using var connection = await run.Connections.OpenAsync(ct);
        var groups = await ReadGroupsAsync(connection, id, ct);
        var notices = await ReadNoticesAsync(connection, id, ct);
        var (pausedAt, pauseText) = await ReadPauseAsync(connection, id, ct);
        var received = ReadNoticeLog(noticeLog, id);
        log.WriteLine();
        log.WriteLine($"task {id}: {accepted:N0} VINs; groups: {string.Join(", ", groups.Select(g => $"{g.Name} {g.Size:N0}"))}");
        foreach (var g in groups)
            log.WriteLine($"  {g.Name,-10} notified {notices.VinsByGroup.GetValueOrDefault(g.Index),7:N0} VINs ({notices.RowsByGroup.GetValueOrDefault(g.Index):N0} notices)");
        log.WriteLine($"fleet received {received.Count:N0} upgrade notices of the task for {received.Select(r => r.Vin).Distinct().Count():N0} VINs");
        var notified = notices.VinsByGroup.Values.Sum();

        var reports = await ReadFinalReportsAsync(connection, id, 0, ct);
        var crossing = FirstWhere(reports, (succeeded, failed) =>
        {
            var finished = succeeded + failed;
            return finished >= MinFinished && failed * 100.0 >= ErrorThreshold * finished;
        });
        double? pauseSeconds = null, decidedSeconds = null;
        if (crossing is { } c)
        {
            var decidedAt = await DecidedAtAsync(connection, c.Report.Id, ct);
            decidedSeconds = decidedAt is { } da ? (da - c.Report.ReceivedAt).TotalSeconds : null;
            log.WriteLine($"crossing report: status #{c.Report.Id} ({c.Report.State}, {c.Report.Vin}) received {Clock(c.Report.ReceivedAt)}, " +
                          $"the {c.Succeeded + c.Failed}th of group {groups[0].Name} to finish: {c.Failed} of {c.Succeeded + c.Failed} failed " +
                          $"({c.Failed * 100.0 / (c.Succeeded + c.Failed):0.#} %)");
            if (decidedAt is { } d)
                log.WriteLine($"  its follow-up decided (task-VIN state set) {Clock(d)}, {(d - c.Report.ReceivedAt).TotalSeconds:0.000} s after it was received");
        }
        else log.WriteLine($"no status report of group {groups[0].Name} took its failures to the threshold ({reports.Count:N0} final reports)");
        if (pausedAt is { } p)
        {
            log.WriteLine($"paused {Clock(p)}: {pauseText}");
            if (crossing is { } cr)
            {
                pauseSeconds = (p - cr.Report.ReceivedAt).TotalSeconds;
                log.WriteLine(FormattableString.Invariant($"  {pauseSeconds:0.000} s after the crossing report was received (ota_task_rollout.paused_at − ota_vehicle_upgrade_status.received_at)"));
            }
        }
        var pausedMs = pausedAt is { } at ? Ms(at) : long.MaxValue;
        var receivedAfter = received.Count(r => r.ReceivedAtMs > pausedMs);
        var rowsAfter = pausedAt is { } pa ? await NoticeRowsAfterAsync(connection, id, pa, ct) : 0;
        log.WriteLine($"notices after the pause: the fleet received {receivedAfter:N0} upgrade notices of the task after paused_at (its own log; the most honest " +
                      "measure here, an upper bound: a notice that left before the pause and arrived after it counts too); ota_vehicle_download_notice " +
                      $"has {rowsAfter:N0} rows with sent_at after paused_at (recorded after the broker's acknowledgement, also an upper bound)");

        // An operator stops the bad rollout: what was not notified is cancelled.
        var stop = await run.Api.PostAsync($"/ota/open/api/task/{id}/stop", null, ct);
        var stopBody = await stop.Content.ReadAsStringAsync(ct);
        if (stop.IsSuccessStatusCode)
        {
            var stopped = TaskView.Parse(stopBody);
            log.WriteLine($"stopped through the open API: task {stopped.State}, {stopped.Counts.GetValueOrDefault("Cancelled"):N0} VINs cancelled");
        }
        else log.WriteLine($"stop answered {(int)stop.StatusCode}: {stopBody}");
        return new BadOutcome(paused, groups[0].Size, notified, pauseSeconds, decidedSeconds, receivedAfter, rowsAfter);
    }

    private static async Task<GoodOutcome?> GoodPackageAsync(Run run, CancellationToken ct)
    {
        var log = run.Log;
        await using var fleet = StartFleet(run, Path.Combine(run.Folder, "rollout-good-notices.csv"));
        var (taskId, accepted) = await PublishAsync(run, $"{TaskName} good {run.Vehicles:N0}", ct);
        if (taskId is not { } id) return null;

        var clock = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var lastProgress = TimeSpan.Zero;
        long lastSucceeded = -1;
        var allSucceeded = false;
        DateTime? allSucceededSeen = null;
        while (true)
        {
            var view = await GetTaskAsync(run.Api, id, ct);
            var succeeded = view.Counts.GetValueOrDefault(nameof(TaskVinState.Succeeded));
            if (succeeded != lastSucceeded) (lastSucceeded, lastProgress) = (succeeded, clock.Elapsed);
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(10) || succeeded >= accepted)
            {
                log.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds,6:0.0} s  task {view.State}, {Describe(view)}"));
                lastPrint = clock.Elapsed;
            }
            if (succeeded >= accepted)
            {
                allSucceeded = true;
                allSucceededSeen = DateTime.UtcNow;
                break;
            }
            if (clock.Elapsed - lastProgress > TimeSpan.FromMinutes(3) || view.State is "Paused" or "Stopped" or "Cancelled" || fleet.HasExited)
            {
                log.WriteLine($"STALLED: {succeeded:N0} of {accepted:N0} succeeded, none more for {(clock.Elapsed - lastProgress).TotalSeconds:0} s; " +
                              $"task {view.State} {view.PauseCode}; {Describe(view)}");
                break;
            }
            // Not faster: on a small machine the bench's own reads would slow the follow-ups it waits for.
            await Task.Delay(2000, ct);
        }
        var summary = await fleet.StopAsync(ct);
        log.WriteLine($"fleet: {summary}");

        await using var connection = await run.Connections.OpenAsync(ct);
        var publishedAt = (DateTime)(await Sql.ScalarAsync(connection, null, "SELECT published_at FROM ota_task WHERE id = @task", ct, ("@task", id)))!;
        var groups = await ReadGroupsAsync(connection, id, ct);
        var notices = await ReadNoticesAsync(connection, id, ct);
        var lastSuccess = (await Sql.ScalarAsync(connection, null,
            $"SELECT MAX(received_at) FROM ota_vehicle_upgrade_status WHERE task_id = @task AND state = {Sql.Text(UpgradeState.Succeeded)}",
            ct, ("@task", id))) as DateTime?;
        string At(DateTime? t) => t is { } v ? FormattableString.Invariant($"{(v - publishedAt).TotalSeconds,8:0.0}") : "       -";

        log.WriteLine();
        log.WriteLine($"task {id}: {accepted:N0} VINs, published {Clock(publishedAt)}; seconds after publish:");
        log.WriteLine($"{"group",-10}{"size",8}{"opened",9}{"notified",9}{"met",9}{"reached",9}   (met: the status report that took it to {SuccessThreshold:0.#} % succeeded was received; reached: the gate saw it)");
        var met = new List<DateTime?>();
        foreach (var g in groups)
        {
            var reports = await ReadFinalReportsAsync(connection, id, g.Index, ct);
            var reachedBy = FirstWhere(reports, (s, _) => s * 100.0 >= SuccessThreshold * g.Size);
            met.Add(reachedBy?.Report.ReceivedAt);
            log.WriteLine($"{g.Name,-10}{g.Size,8:N0}{At(g.OpenedAt)} {At(notices.FirstByGroup.GetValueOrDefault(g.Index))} {At(reachedBy?.Report.ReceivedAt)} {At(g.ReachedAt)}");
        }
        var waits = new List<double>();
        for (var k = 0; k + 1 < groups.Count; k++)
        {
            if (met[k] is not { } m || groups[k + 1].OpenedAt is not { } opened) continue;
            var wait = (opened - m).TotalSeconds;
            waits.Add(wait);
            var firstNotice = notices.FirstByGroup.GetValueOrDefault(groups[k + 1].Index);
            log.WriteLine(FormattableString.Invariant(
                $"gate {groups[k].Name} → {groups[k + 1].Name}: opened {wait:0.00} s after the group met its threshold, first notice {(firstNotice is { } f ? (f - m).TotalSeconds : double.NaN):0.00} s after"));
        }
        var complete = lastSuccess is { } last ? (last - publishedAt).TotalSeconds : double.NaN;
        var stateComplete = allSucceededSeen is { } seen ? (seen - publishedAt).TotalSeconds : double.NaN;
        log.WriteLine(FormattableString.Invariant(
            $"complete: the last success report was received {complete:0.0} s after publish; the open API showed every VIN succeeded {stateComplete:0.0} s after publish"));
        return new GoodOutcome(allSucceeded, groups[0].Size, complete, stateComplete, waits);
    }

    /// <summary>The simulator for the bench fleet, logging the notices it receives, until the bench closes its input.</summary>
    private static Fleet StartFleet(Run run, string noticeLog, params string[] options)
    {
        var (process, output) = BenchData.StartSimulator(run.SimulatorDll, run.VehiclesFile, run.Context.BaseUrl, run.MqttPort, CancellationToken.None,
            ["--failure-rate", "0", "--concurrency", run.Concurrency.ToString(CultureInfo.InvariantCulture), "--idle-seconds", "3600",
                "--until-input-ends", "--notice-log", noticeLog, .. options]);
        return new Fleet(process, output);
    }

    /// <summary>The running simulator: stopped by closing its input, then its JSON summary read.</summary>
    private sealed class Fleet(Process process, Task<string> output) : IAsyncDisposable
    {
        public bool HasExited => process.HasExited;

        public async Task<string> StopAsync(CancellationToken ct)
        {
            process.StandardInput.Close();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            var json = (await output).Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (json is null) return $"exited {process.ExitCode} without a summary";
            using var summary = JsonDocument.Parse(json);
            var s = summary.RootElement;
            return $"{s.GetProperty("notices").GetInt64():N0} notices, {s.GetProperty("successes").GetInt64():N0} upgraded, " +
                   $"{s.GetProperty("badPackageFailures").GetInt64():N0} failed by the bad package (failures {s.GetProperty("failures")}), " +
                   $"{s.GetProperty("cancelled").GetInt64():N0} cancelled, {s.GetProperty("protocolErrors").GetInt64():N0} protocol errors";
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
            process.Dispose();
        }
    }

    /// <summary>Publishes the task through the open API with the plan, then pushes it now (as the other benchmarks do) rather than at the next minute.</summary>
    private static async Task<(long? TaskId, int Accepted)> PublishAsync(Run run, string name, CancellationToken ct)
    {
        await Task.Delay(3000, ct); // the fleet connects and subscribes
        var plan = new
        {
            groups = Groups.Select(g => new { name = g.Name, percent = g.Percent, successThreshold = SuccessThreshold, errorThreshold = ErrorThreshold, minFinished = MinFinished }),
        };
        var clock = Stopwatch.StartNew();
        var response = await run.Api.PostAsJsonAsync("/ota/open/api/task/publish", new
        {
            name, type = "Normal", seriesModel = "S1-M1", targetVersion = TargetVersion,
            vins = Enumerable.Range(1, run.Vehicles).Select(i => BenchData.VinOf(VinPrefix, i)), rollout = plan,
        }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            run.Log.WriteLine($"publish answered {(int)response.StatusCode}: {body}");
            return (null, 0);
        }
        using var answer = JsonDocument.Parse(body);
        var taskId = answer.RootElement.GetProperty("taskId").GetInt64();
        var accepted = answer.RootElement.GetProperty("accepted").GetInt32();
        run.Log.WriteLine($"published task {taskId} through the open API in {clock.Elapsed.TotalSeconds:0.0} s: {accepted:N0} VINs accepted; pushing now …");
        await run.Context.Services.GetRequiredService<TaskOperations>().PushNowAsync(taskId, "bench", ct);
        return (taskId, accepted);
    }

    /// <summary>What GET /ota/open/api/task/{id} answers, as far as the bench reads it.</summary>
    private sealed record TaskView(string State, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<GroupView> Groups, string? PauseCode)
    {
        public static TaskView Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            static Dictionary<string, long> Counts(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            var groups = root.GetProperty("groups").EnumerateArray().Select(g => new GroupView(
                g.GetProperty("name").GetString()!, g.GetProperty("size").GetInt64(), g.GetProperty("state").GetString()!,
                g.GetProperty("succeeded").GetInt64(), g.GetProperty("failed").GetInt64(), g.GetProperty("finished").GetInt64(),
                Counts(g.GetProperty("counts")))).ToList();
            var pause = root.GetProperty("pause");
            return new TaskView(root.GetProperty("state").GetString()!, Counts(root.GetProperty("counts")), groups,
                pause.ValueKind == JsonValueKind.Object ? pause.GetProperty("code").GetString() : null);
        }
    }

    private sealed record GroupView(string Name, long Size, string State, long Succeeded, long Failed, long Finished, IReadOnlyDictionary<string, long> Counts)
    {
        public long Sent => Size - Counts.GetValueOrDefault(nameof(TaskVinState.Pending));
    }

    private static async Task<TaskView> GetTaskAsync(HttpClient api, long taskId, CancellationToken ct)
    {
        var response = await api.GetAsync($"/ota/open/api/task/{taskId}", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET task {taskId} answered {(int)response.StatusCode}: {body}");
        return TaskView.Parse(body);
    }

    private static string Describe(TaskView view) => string.Join(" | ", view.Groups.Select(g =>
        $"{g.Name} {g.State}: {g.Sent:N0}/{g.Size:N0} notified, {g.Succeeded:N0} succeeded, {g.Failed:N0} failed"));

    private sealed record GroupRow(int Index, string Name, long Size, DateTime? OpenedAt, DateTime? ReachedAt);

    private static async Task<List<GroupRow>> ReadGroupsAsync(MySqlConnection connection, long taskId, CancellationToken ct)
    {
        var groups = new List<GroupRow>();
        await using var command = Sql.Command(connection, null,
            "SELECT group_index, name, size, opened_at, reached_at FROM ota_task_rollout_group WHERE task_id = @task ORDER BY group_index", ("@task", taskId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            groups.Add(new GroupRow(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetDateTime(3), reader.IsDBNull(4) ? null : reader.GetDateTime(4)));
        return groups;
    }

    private sealed record NoticeCounts(Dictionary<int, long> VinsByGroup, Dictionary<int, long> RowsByGroup, Dictionary<int, DateTime?> FirstByGroup);

    /// <summary>The task's upgrade notices as the app recorded them, by rollout group.</summary>
    private static async Task<NoticeCounts> ReadNoticesAsync(MySqlConnection connection, long taskId, CancellationToken ct)
    {
        var counts = new NoticeCounts([], [], []);
        await using var command = Sql.Command(connection, null,
            $"""
            SELECT tv.rollout_group, COUNT(DISTINCT n.vin), COUNT(*), MIN(n.sent_at)
            FROM ota_vehicle_download_notice n JOIN ota_task_vin tv ON tv.task_id = n.task_id AND tv.vin = n.vin
            WHERE n.task_id = @task AND n.kind = {Sql.Text(NoticeKind.Upgrade)}
            GROUP BY tv.rollout_group
            """, ("@task", taskId));
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var group = reader.GetInt32(0);
            counts.VinsByGroup[group] = reader.GetInt64(1);
            counts.RowsByGroup[group] = reader.GetInt64(2);
            counts.FirstByGroup[group] = reader.GetDateTime(3);
        }
        return counts;
    }

    private static async Task<long> NoticeRowsAfterAsync(MySqlConnection connection, long taskId, DateTime at, CancellationToken ct) =>
        Convert.ToInt64(await Sql.ScalarAsync(connection, null,
            $"SELECT COUNT(*) FROM ota_vehicle_download_notice WHERE task_id = @task AND kind = {Sql.Text(NoticeKind.Upgrade)} AND sent_at > @at",
            ct, ("@task", taskId), ("@at", at)), CultureInfo.InvariantCulture);

    private static async Task<(DateTime? At, string Text)> ReadPauseAsync(MySqlConnection connection, long taskId, CancellationToken ct)
    {
        await using var command = Sql.Command(connection, null,
            "SELECT paused_at, pause_code, pause_group, pause_detail, paused_by FROM ota_task_rollout WHERE task_id = @task", ("@task", taskId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || reader.IsDBNull(0)) return (null, "");
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return (reader.GetDateTime(0), $"{Text(1)} group '{Text(2)}' by {Text(4)}: {Text(3)}");
    }

    private sealed record FinalReport(long Id, string Vin, TaskVinState State, DateTime ReceivedAt);

    /// <summary>
    /// The status reports of the group's VINs that set a task-VIN's state to Succeeded or Failed, in the order the app
    /// received them (its receipt time, then its row id).
    /// </summary>
    private static async Task<List<FinalReport>> ReadFinalReportsAsync(MySqlConnection connection, long taskId, int group, CancellationToken ct)
    {
        var reports = new List<FinalReport>();
        await using var command = Sql.Command(connection, null,
            $"""
            SELECT s.id, s.vin, s.state, s.error_type IS NOT NULL, s.received_at
            FROM ota_vehicle_upgrade_status s JOIN ota_task_vin tv ON tv.task_id = s.task_id AND tv.vin = s.vin
            WHERE s.task_id = @task AND tv.rollout_group = @group
              AND (s.state IN ({Sql.Text(UpgradeState.Succeeded)}, {Sql.Text(UpgradeState.Failed)}) OR s.error_type IS NOT NULL)
            ORDER BY s.received_at, s.id
            """, ("@task", taskId), ("@group", group));
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (TaskVinLifecycle.AfterReport(Enum.Parse<UpgradeState>(reader.GetString(2)), reader.GetBoolean(3)) is not { } state) continue;
            reports.Add(new FinalReport(reader.GetInt64(0), reader.GetString(1), state, reader.GetDateTime(4)));
        }
        return reports;
    }

    /// <summary>The first report after which the group's succeeded and failed VINs satisfy <paramref name="reached"/>, with those counts.</summary>
    private static (FinalReport Report, long Succeeded, long Failed)? FirstWhere(IEnumerable<FinalReport> reports, Func<long, long, bool> reached)
    {
        var states = new Dictionary<string, TaskVinState>(StringComparer.Ordinal);
        long succeeded = 0, failed = 0;
        foreach (var report in reports)
        {
            if (states.TryGetValue(report.Vin, out var before))
            {
                if (before == TaskVinState.Succeeded) succeeded--;
                else if (before == TaskVinState.Failed) failed--;
            }
            states[report.Vin] = report.State;
            if (report.State == TaskVinState.Succeeded) succeeded++;
            else if (report.State == TaskVinState.Failed) failed++;
            if (reached(succeeded, failed)) return (report, succeeded, failed);
        }
        return null;
    }

    /// <summary>When the follow-up decided the report (and set its task-VIN's state), from its Decide row.</summary>
    private static async Task<DateTime?> DecidedAtAsync(MySqlConnection connection, long statusId, CancellationToken ct) =>
        await Sql.ScalarAsync(connection, null,
            $"SELECT done_at FROM ota_follow_up WHERE status_id = @status AND step = {Sql.Text(FollowUpStep.Decide)}", ct, ("@status", statusId)) as DateTime?;

    private sealed record ReceivedNotice(long ReceivedAtMs, string Vin);

    /// <summary>The upgrade notices of the task in the simulator's notice log.</summary>
    private static List<ReceivedNotice> ReadNoticeLog(string path, long taskId)
    {
        var task = taskId.ToString(CultureInfo.InvariantCulture);
        var notices = new List<ReceivedNotice>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var cells = line.Split(',');
            if (cells.Length >= 4 && cells[1] == "upgrade" && cells[3] == task)
                notices.Add(new ReceivedNotice(long.Parse(cells[0], CultureInfo.InvariantCulture), cells[2]));
        }
        return notices;
    }

    private static long Ms(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static string Clock(DateTime utc) => utc.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>The bench's open-API key (a key's name is never reused, even once revoked, so the bench removes its own).</summary>
    private static async Task RemoveApiKeyAsync(MySqlConnectionFactory connections, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await Sql.ExecAsync(connection, null, "DELETE FROM ota_api_key WHERE name = @name", ct, ("@name", ApiKeyName));
    }

    private static async Task RemoveBenchDataAsync(MySqlConnectionFactory connections, TextWriter log, CancellationToken ct)
    {
        var removed = await BenchData.RemoveAsync(connections, VinPrefix, ct, TaskName, $"api:{ApiKeyName}");
        if (removed > 0) log.WriteLine($"removed {removed:N0} rows of bench data");
    }
}
