using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using Ota.Domain;
using Ota.Infrastructure.Demo;
using Ota.Infrastructure.Platform;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Tabular;
using Ota.Infrastructure.VinLists;

namespace Ota.Bench;

/// <summary>
/// `./ota bench upload --rows N`: an N-row .xlsx VIN list read as a stream and staged. The workbook is written first
/// (and kept under .data/bench), then read in a fresh process so the memory figure is the reader's alone.
/// </summary>
internal sealed class UploadBenchmark : IBenchmark
{
    public string Name => "upload";
    public string Usage => "--rows N   (default 100000)";
    public bool NeedsRunningApp => false;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var n = context.IntArg("--rows", 100_000);
        var folder = Path.Combine(context.Services.GetRequiredService<IOptions<OtaOptions>>().Value.DataFolder, "bench");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"vins-{n}.xlsx");
        if (!File.Exists(file))
        {
            context.Out.WriteLine($"writing {file} ({n:N0} VINs) …");
            var rows = Enumerable.Range(1, n).Select(i => new Dictionary<string, object> { ["VIN"] = DemoWorld.VinOf(i) });
            await MiniExcel.SaveAsAsync(file + ".tmp.xlsx", rows, cancellationToken: ct);
            File.Move(file + ".tmp.xlsx", file);
        }
        context.Out.WriteLine($"reading and staging {Path.GetFileName(file)} ({new FileInfo(file).Length / 1024.0 / 1024.0:0.0} MiB) in a fresh process …");
        using var child = Process.Start(BenchmarkCommand.Self(["_upload-read", file]))!;
        await child.WaitForExitAsync(ct);
        return child.ExitCode;
    }
}

/// <summary>The measured half of the upload benchmark: read the workbook and stage its VINs.</summary>
internal sealed class UploadReadBenchmark : IBenchmark
{
    public string Name => "_upload-read";
    public string Usage => "FILE";
    public bool NeedsRunningApp => false;

    public async Task<int> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var file = context.Args[0];
        var services = context.Services;
        var contexts = services.GetRequiredService<IDbContextFactory<OtaDbContext>>();
        long seriesModelId;
        await using (var db = await contexts.CreateDbContextAsync(ct))
            seriesModelId = await db.SeriesModels.Where(s => s.Code == "S1-M1").Select(s => s.Id).SingleAsync(ct);
        var request = new ValidationRequest(TaskType.Normal, TaskSource.Console, seriesModelId, "3.1.5", "bench");
        var baseline = BenchmarkCommand.PeakMemoryMiB();

        var clock = Stopwatch.StartNew();
        var run = await services.GetRequiredService<ValidationStaging>().StartAsync(request, VinFileReader.ReadEntries(file, file), ct);
        var elapsed = clock.Elapsed;
        var peak = BenchmarkCommand.PeakMemoryMiB();
        context.Out.WriteLine();
        context.Out.WriteLine($"rows read            {run.TotalEntries,12:N0}");
        context.Out.WriteLine($"VINs staged          {run.DistinctVins,12:N0}   (run {run.Id}, {run.ChunkCount} chunks, status {run.Status})");
        context.Out.WriteLine($"read and staged in   {elapsed.TotalSeconds,12:0.00} s");
        context.Out.WriteLine($"peak memory          {peak,12:0} MiB   (process before reading: {baseline:0} MiB)");
        context.Out.WriteLine();
        context.Result("upload_rows_per_s", run.TotalEntries / elapsed.TotalSeconds, "rows/s");
        context.Result("upload_seconds", elapsed.TotalSeconds, "s");
        context.Result("upload_peak_memory", peak, "MiB");
        var staged = run.Status == ValidationRunStatus.Running;
        await services.GetRequiredService<ValidationStaging>().PurgeAsync(run.Id, ct);
        await services.GetRequiredService<ValidationStaging>().FailAsync(run.Id, "Benchmark run: staged only, not validated.", ct);
        return staged ? 0 : 1;
    }
}
