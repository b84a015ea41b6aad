using System.Collections.Concurrent;
using System.Text.Json;

namespace Ota.Simulator;

/// <summary>What the fleet did, counted safely from many vehicles at once.</summary>
public sealed class SimulationSummary
{
    private long _notices, _cancelNotices, _foreignNotices, _descriptions, _ineligible, _successes, _badPackageFailures, _cancelled, _eventRequests, _eventsSent, _statusReports;
    private long _filesDownloaded, _filesPretended, _bytesDownloaded, _transfersResumed;
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentDictionary<string, int> _downloadFailures = new();
    private readonly ConcurrentDictionary<string, string> _outcomes = new();

    /// <summary>VIN → Succeeded, Cancelled, Ineligible or the error type, when outcomes are recorded.</summary>
    public IReadOnlyDictionary<string, string> Outcomes => _outcomes;

    internal bool RecordOutcomes { get; init; }

    internal void Outcome(string vin, string outcome)
    {
        if (RecordOutcomes) _outcomes[vin] = outcome;
    }
    private readonly ConcurrentQueue<string> _protocolErrors = new();
    private long _protocolErrorCount;
    private readonly ConcurrentQueue<string> _forgeries = new();
    private long _forgeryCount;

    // DDI devices (SPEC §14): every poll answered, the latency of those measured (after the warm-up), and actions the
    // server withdrew while a device worked on them (a cancel between its poll and its next call: 404 or 410 by design).
    private long _polls, _actionsWithdrawn;
    private readonly List<float> _pollMilliseconds = [];
    private double _pollSeconds;

    public long Notices => Interlocked.Read(ref _notices);
    public long CancelNotices => Interlocked.Read(ref _cancelNotices);
    public long ForeignNotices => Interlocked.Read(ref _foreignNotices);
    public long DescriptionsFetched => Interlocked.Read(ref _descriptions);
    public long Ineligible => Interlocked.Read(ref _ineligible);
    public long Successes => Interlocked.Read(ref _successes);
    public long Cancelled => Interlocked.Read(ref _cancelled);
    /// <summary>Failures reported because the notice's version is the bad package (<see cref="SimulatorOptions.FailVersion"/>); counted in <see cref="FailuresByType"/> too.</summary>
    public long BadPackageFailures => Interlocked.Read(ref _badPackageFailures);
    public long EventRequests => Interlocked.Read(ref _eventRequests);
    public long EventsSent => Interlocked.Read(ref _eventsSent);
    /// <summary>UpgradeStatus events the API accepted.</summary>
    public long StatusReports => Interlocked.Read(ref _statusReports);
    public IReadOnlyDictionary<string, int> FailuresByType => new SortedDictionary<string, int>(_failures);
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrorCount);
    /// <summary>Package files downloaded whole and matching their description.</summary>
    public long FilesDownloaded => Interlocked.Read(ref _filesDownloaded);
    /// <summary>Package files only pretended (<see cref="SimulatorOptions.Downloads"/>).</summary>
    public long FilesPretended => Interlocked.Read(ref _filesPretended);
    /// <summary>Bytes received of package files, those of transfers started over included.</summary>
    public long BytesDownloaded => Interlocked.Read(ref _bytesDownloaded);
    /// <summary>Transfers taken up again where they were cut (206 answers to a <c>Range</c> request).</summary>
    public long TransfersResumed => Interlocked.Read(ref _transfersResumed);
    /// <summary>Downloads given up, by the inner error code reported (E-DL-SHA256, E-DL-LINK-EXPIRED…).</summary>
    public IReadOnlyDictionary<string, int> DownloadFailuresByCode => new SortedDictionary<string, int>(_downloadFailures);
    /// <summary>DDI polls answered (all of them, the warm-up's too).</summary>
    public long Polls => Interlocked.Read(ref _polls);
    /// <summary>DDI polls in the measured time (after <see cref="SimulatorOptions.PollWarmup"/>).</summary>
    public long PollsMeasured
    {
        get
        {
            lock (_pollMilliseconds) return _pollMilliseconds.Count;
        }
    }
    /// <summary>DDI polls per second over the measured time.</summary>
    public double PollsPerSecond => _pollSeconds > 0 ? PollsMeasured / _pollSeconds : 0;
    /// <summary>Latency of the measured DDI polls, as the device saw it (request sent to answer read), in milliseconds.</summary>
    public double PollP50 => PollPercentile(0.50);
    public double PollP99 => PollPercentile(0.99);
    /// <summary>DDI actions the server withdrew while a device worked on them (cancelled meanwhile).</summary>
    public long ActionsWithdrawn => Interlocked.Read(ref _actionsWithdrawn);
    /// <summary>
    /// Notices and descriptions refused because their signature did not check out (SPEC §15): unsigned, signed by a key
    /// that is not published, or changed after they were signed. Nothing was done about them.
    /// </summary>
    public long ForgeriesRefused => Interlocked.Read(ref _forgeryCount);
    /// <summary>The first refusals, for the report.</summary>
    public IReadOnlyList<string> ForgerySamples => _forgeries.Take(20).ToList();
    /// <summary>The first protocol errors, for the report.</summary>
    public IReadOnlyList<string> ProtocolErrorSamples => _protocolErrors.Take(20).ToList();

    private long _firstNoticeMs, _lastNoticeMs, _lastDescriptionMs, _lastReportMs;

    /// <summary>Unix milliseconds of the first and last notice, the last description fetched and the last report answered.</summary>
    public long FirstNoticeAt => Interlocked.Read(ref _firstNoticeMs);
    public long LastNoticeAt => Interlocked.Read(ref _lastNoticeMs);
    public long LastDescriptionAt => Interlocked.Read(ref _lastDescriptionMs);
    public long LastReportAt => Interlocked.Read(ref _lastReportMs);

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    internal void Notice()
    {
        Interlocked.Increment(ref _notices);
        Interlocked.CompareExchange(ref _firstNoticeMs, NowMs, 0);
        Interlocked.Exchange(ref _lastNoticeMs, NowMs);
    }
    internal void CancelNotice() => Interlocked.Increment(ref _cancelNotices);
    internal void ForeignNotice() => Interlocked.Increment(ref _foreignNotices);
    internal void Description()
    {
        Interlocked.Increment(ref _descriptions);
        Interlocked.Exchange(ref _lastDescriptionMs, NowMs);
    }
    internal void IneligibleVehicle() => Interlocked.Increment(ref _ineligible);
    internal void Success() => Interlocked.Increment(ref _successes);
    internal void Cancel() => Interlocked.Increment(ref _cancelled);
    internal void BadPackageFailure() => Interlocked.Increment(ref _badPackageFailures);
    internal void Failure(string type) => _failures.AddOrUpdate(type, 1, (_, n) => n + 1);

    internal void FileDownloaded() => Interlocked.Increment(ref _filesDownloaded);
    internal void FilePretended() => Interlocked.Increment(ref _filesPretended);
    internal void BytesReceived(long count) => Interlocked.Add(ref _bytesDownloaded, count);
    internal void TransferResumed() => Interlocked.Increment(ref _transfersResumed);
    internal void DownloadFailed(string innerErrorCode) => _downloadFailures.AddOrUpdate(innerErrorCode, 1, (_, n) => n + 1);

    internal void Events(int count)
    {
        Interlocked.Increment(ref _eventRequests);
        Interlocked.Add(ref _eventsSent, count);
        Interlocked.Exchange(ref _lastReportMs, NowMs);
    }

    internal void Poll(TimeSpan latency, bool measured)
    {
        Interlocked.Increment(ref _polls);
        if (!measured) return;
        lock (_pollMilliseconds) _pollMilliseconds.Add((float)latency.TotalMilliseconds);
    }

    /// <summary>How long the polls were measured for (the run less its warm-up).</summary>
    internal void PollsMeasuredFor(TimeSpan measured) => _pollSeconds = measured.TotalSeconds;

    internal void ActionWithdrawn() => Interlocked.Increment(ref _actionsWithdrawn);

    private double PollPercentile(double p)
    {
        float[] sorted;
        lock (_pollMilliseconds) sorted = [.. _pollMilliseconds];
        if (sorted.Length == 0) return 0;
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    internal void StatusReportsAccepted(int count) => Interlocked.Add(ref _statusReports, count);

    /// <summary>Counts a refused forgery and logs it (the first hundred, on standard error).</summary>
    internal void ForgeryRefused(string what)
    {
        if (Interlocked.Increment(ref _forgeryCount) > 100) return;
        _forgeries.Enqueue(what);
        Console.Error.WriteLine($"forgery refused: {what}");
    }

    internal void ProtocolError(string what)
    {
        if (Interlocked.Increment(ref _protocolErrorCount) <= 100) _protocolErrors.Enqueue(what);
    }

    public void Print(TextWriter output, TimeSpan elapsed)
    {
        output.WriteLine($"ran for                  {elapsed.TotalSeconds,10:0.0} s");
        if (Polls > 0)
        {
            output.WriteLine($"DDI polls                {Polls,10:N0}   (measured {PollsMeasured:N0}: {PollsPerSecond:N0}/s, p50 {PollP50:0.0} ms, p99 {PollP99:0.0} ms)");
            output.WriteLine($"DDI actions offered      {Notices,10:N0}   (cancel actions {CancelNotices:N0}, withdrawn while worked on {ActionsWithdrawn:N0})");
        }
        else output.WriteLine($"notices received         {Notices,10:N0}   (cancel notices {CancelNotices:N0}, for vehicles not simulated {ForeignNotices:N0})");
        output.WriteLine($"descriptions fetched     {DescriptionsFetched,10:N0}   (refused as ineligible: {Ineligible:N0})");
        output.WriteLine($"event requests / events  {EventRequests,10:N0} / {EventsSent:N0}   (status reports accepted: {StatusReports:N0})");
        output.WriteLine($"files downloaded         {FilesDownloaded,10:N0}   ({BytesDownloaded / 1048576.0:N1} MiB, transfers resumed {TransfersResumed:N0}, files pretended {FilesPretended:N0})");
        foreach (var (code, n) in DownloadFailuresByCode) output.WriteLine($"  download failed: {code,-15}{n,8:N0}");
        output.WriteLine($"upgrades succeeded       {Successes,10:N0}");
        output.WriteLine($"upgrades cancelled       {Cancelled,10:N0}");
        foreach (var (type, n) in FailuresByType) output.WriteLine($"  failed: {type,-24}{n,8:N0}");
        if (BadPackageFailures > 0) output.WriteLine($"  of these, the bad package: {BadPackageFailures,6:N0}");
        if (Polls == 0)
        {
            // DDI devices take hawkBit's unsigned protocol: nothing of theirs is checked.
            output.WriteLine($"forgeries refused        {ForgeriesRefused,10:N0}   (notices and descriptions whose signature did not check out)");
            foreach (var sample in ForgerySamples) output.WriteLine($"  {sample}");
        }
        output.WriteLine($"protocol errors          {ProtocolErrors,10:N0}");
        foreach (var sample in ProtocolErrorSamples) output.WriteLine($"  {sample}");
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        notices = Notices, cancelNotices = CancelNotices, foreignNotices = ForeignNotices, descriptionsFetched = DescriptionsFetched,
        ineligible = Ineligible, eventRequests = EventRequests, eventsSent = EventsSent, statusReports = StatusReports, successes = Successes, cancelled = Cancelled,
        badPackageFailures = BadPackageFailures,
        filesDownloaded = FilesDownloaded, filesPretended = FilesPretended, bytesDownloaded = BytesDownloaded, transfersResumed = TransfersResumed,
        downloadFailures = DownloadFailuresByCode,
        failures = FailuresByType, protocolErrors = ProtocolErrors, forgeriesRefused = ForgeriesRefused,
        polls = Polls, pollsMeasured = PollsMeasured, pollsPerSecond = PollsPerSecond, pollP50Ms = PollP50, pollP99Ms = PollP99,
        actionsWithdrawn = ActionsWithdrawn,
        firstNoticeAt = FirstNoticeAt, lastNoticeAt = LastNoticeAt, lastDescriptionAt = LastDescriptionAt, lastReportAt = LastReportAt, protocolErrorSamples = ProtocolErrorSamples,
    });
}
