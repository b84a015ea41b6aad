using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench validate --vins N`: N demo VINs from staged list to stored verdicts and created task-VINs, with the
/// chunks run as Hangfire jobs by this app instance, as an operator's upload would be.
/// </summary>
internal sealed class ValidateBenchmark : IBenchmark
{
    public string Name => "validate";
    public string Usage => "--vins N   (default 100000; loads the demo world with N vehicles first when it has fewer)";
    public bool NeedsRunningApp => true;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var n = context.IntArg("--vins", 100_000);
        var services = context.Services;
        var contexts = services.GetRequiredService<IDbContextFactory<OtaDbContext>>();
        await EnsureDemoWorldAsync(services, contexts, n, context.Out, ct);

        long seriesModelId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            seriesModelId = await db.SeriesModels.Where(s => s.Code == "S1-M1").Select(s => s.Id).SingleAsync(ct);
        var vins = new List<string?>(n);
        for (var i = 1; i <= n; i++) vins.Add(DemoWorld.VinOf(i));
        var request = new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench")
        {
            Task = new TaskSpec($"bench validate {n:N0}", 0, null),
        };

        var validation = services.GetRequiredService<TaskValidationService>();
        context.Out.WriteLine($"validating {n:N0} VINs (Normal task S1-M1 → 3.1.5, chunks as Hangfire jobs) …");
        var clock = Stopwatch.StartNew();
        var runId = await validation.StartInBackgroundAsync(request, vins, ct);
        var staged = clock.Elapsed;
        vins = null;
        ValidationProgress progress;
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            progress = await validation.GetProgressAsync(runId, ct);
            if (progress.IsFinished) break;
            if (clock.Elapsed - lastPrint > TimeSpan.FromSeconds(2))
            {
                context.Out.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0.0} s  {progress.VinsDone:N0} / {progress.DistinctVins:N0} VINs, {progress.ChunksDone}/{progress.ChunkCount} chunks");
                lastPrint = clock.Elapsed;
            }
            await Task.Delay(100, ct);
        }
        var total = clock.Elapsed;
        if (progress.Status != ValidationRunStatus.Completed)
        {
            context.Out.WriteLine($"validation ended {progress.Status}: {progress.Error ?? string.Join(' ', progress.TaskCodes)}");
            return 1;
        }

        long taskVins;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            taskVins = await db.TaskVins.LongCountAsync(t => t.TaskId == progress.TaskId, ct);
        var peak = BenchmarkCommand.PeakMemoryMiB();
        context.Out.WriteLine();
        context.Out.WriteLine($"VINs                 {n,12:N0}");
        context.Out.WriteLine($"staged in            {staged.TotalSeconds,12:0.00} s   (read, de-duplicated, task rules, bulk-loaded)");
        context.Out.WriteLine($"validated in         {(total - staged).TotalSeconds,12:0.00} s   ({progress.ChunkCount} chunks)");
        context.Out.WriteLine($"total                {total.TotalSeconds,12:0.00} s");
        context.Out.WriteLine($"accepted             {progress.Accepted,12:N0}   (task-VINs created: {taskVins:N0})");
        foreach (var (code, count) in progress.RejectedByReason.OrderByDescending(kv => kv.Value))
            context.Out.WriteLine($"  {code,-28} {count,10:N0}");
        context.Out.WriteLine($"app peak memory      {peak,12:0} MiB");
        context.Out.WriteLine();
        context.Result("validate_vins_per_s", n / total.TotalSeconds, "VIN/s");
        context.Result("validate_seconds", total.TotalSeconds, "s");
        context.Result("validate_peak_memory", peak, "MiB");

        await using (var db = await contexts.CreateDbContextAsync(ct))
            await db.Tasks.Where(t => t.Id == progress.TaskId).ExecuteDeleteAsync(ct);
        return taskVins == progress.Accepted ? 0 : 1;
    }

    internal static async Task EnsureDemoWorldAsync(IServiceProvider services, IDbContextFactory<OtaDbContext> contexts, int n, TextWriter log, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var demo = await db.Vehicles.CountAsync(v => v.Vin.StartsWith(DemoWorld.VinPrefix), ct);
        if (demo >= n) return;
        log.WriteLine($"the demo world has {demo:N0} vehicles; loading {n:N0} …");
        await services.GetRequiredService<DemoWorld>().LoadAsync(n, ifMissing: false, log, ct);
    }
}
