using System.Net.Http.Headers;

namespace Ota.Simulator;

/// <summary>
/// A vehicle's download of its description's files, one after the other in upgrade order (SPEC §13): each streamed
/// and hashed, never held in memory, resumed when cut, checked, and reported as progress with the real byte counts.
/// Files the <c>--downloads</c> choice leaves out are pretended, as before files were served.
/// </summary>
public sealed class PackageDownloader(HttpClient http, SimulatorOptions options, SimulationSummary summary)
{
    /// <summary>How long an answer or the next bytes may take before the transfer counts as cut.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The pause before the first retry after a broken transfer; it grows with each one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether any of the files is fetched; when none is, the vehicle reports as it always did.</summary>
    public bool FetchesAny(IEnumerable<PackageFile> files) => files.Any(f => DownloadPolicy.Downloads(options.Downloads, f.Url));

    /// <summary>Downloads the files in their order and stops at the first that fails: null when all arrived whole.</summary>
    /// <param name="authorization">Sent with each file's requests (a DDI device's <c>TargetToken</c>); null for the native API's signed links.</param>
    public async Task<DownloadFailure?> DownloadAsync(string vin, IReadOnlyList<PackageFile> files, Random random, DownloadProgressReport progress, CancellationToken ct,
        AuthenticationHeaderValue? authorization = null)
    {
        foreach (var file in files)
        {
            if (!DownloadPolicy.Downloads(options.Downloads, file.Url))
            {
                await progress(file, file.Size / 2, ct);
                await progress(file, file.Size, ct);
                summary.FilePretended();
                continue;
            }
            var failure = DownloadPolicy.IsHttp(file.Url)
                ? await DownloadFileAsync(vin, file, random, progress, authorization, ct)
                : new DownloadFailure(DownloadFailure.UnusableUrl, $"{file.Url} is no http(s) link");
            if (failure is not null)
            {
                summary.DownloadFailed(failure.InnerErrorCode);
                return failure with { Detail = $"{file.EcuCode} {file.Url}: {failure.Detail}" };
            }
            summary.FileDownloaded();
        }
        return null;
    }

    private async Task<DownloadFailure?> DownloadFileAsync(string vin, PackageFile file, Random random, DownloadProgressReport progress,
        AuthenticationHeaderValue? authorization, CancellationToken ct)
    {
        // Drawn only when cuts are asked for, so the other random draws of a run stay as they were.
        long? cutAt = options.CutRate > 0 && file.Size >= 2 && random.NextDouble() < options.CutRate ? random.NextInt64(1, file.Size) : null;
        var path = KeptFilePath(vin, file);
        var failure = await TransferAsync(file, path, cutAt, progress, authorization, ct);
        if (failure is not null && path is not null) File.Delete(path);
        return failure;
    }

    private async Task<DownloadFailure?> TransferAsync(PackageFile file, string? path, long? cutAt, DownloadProgressReport progress,
        AuthenticationHeaderValue? authorization, CancellationToken ct)
    {
        await using var sink = path is null ? null : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, useAsync: true);
        using var transfer = new FileTransfer(http, file, sink, summary, StallTimeout, authorization);
        var broken = 0;
        while (true)
        {
            var attempt = await transfer.RequestAsync(cutAt, progress, ct);
            cutAt = null;
            switch (attempt.Ending)
            {
                case FileTransfer.Ending.Complete:
                    await progress(file, transfer.Received, ct);
                    return transfer.Verify();
                case FileTransfer.Ending.Failed:
                    return attempt.Failure;
                case FileTransfer.Ending.Broken when ++broken > options.DownloadRetries:
                    return new DownloadFailure(DownloadFailure.TooManyRetries, $"{broken} attempts broke, the last: {attempt.Detail}");
                case FileTransfer.Ending.Broken:
                    await Task.Delay(RetryDelay * broken, ct);
                    break;
                case FileTransfer.Ending.CutOnPurpose:
                    break;
            }
        }
    }

    private string? KeptFilePath(string vin, PackageFile file)
    {
        if (options.DownloadFolder is not { } folder) return null;
        var directory = Path.Combine(folder, vin);
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Path.GetFileName(file.FileName) is { Length: > 0 } name ? name : file.EcuCode);
    }
}
