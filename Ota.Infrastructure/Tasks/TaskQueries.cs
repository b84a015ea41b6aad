using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.VinLists;

namespace Ota.Infrastructure.Tasks;

public sealed record TaskFilter(TaskType? Type = null, UpgradeTaskStatus? Status = null, long? SeriesModelId = null, string? Name = null);

/// <summary>A task's VINs (superseded ones not counted) and how many came to success or failure (a timeout is a failure).</summary>
public sealed record TaskProgressCounts(long Vins, long Succeeded, long Failed)
{
    public long Done => Succeeded + Failed;

    public double Fraction => Vins == 0 ? 0 : (double)Done / Vins;

    public static TaskProgressCounts From(IReadOnlyDictionary<TaskVinState, long> states) => new(
        states.Where(s => s.Key != TaskVinState.Superseded).Sum(s => s.Value),
        states.GetValueOrDefault(TaskVinState.Succeeded),
        TaskVinLifecycle.CountedFailed.Sum(s => states.GetValueOrDefault(s)));
}

/// <summary>A row of the task list.</summary>
public sealed record TaskRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public TaskType Type { get; init; }
    public TaskSource Source { get; init; }
    public string SeriesModel { get; init; } = "";
    public string TargetVersion { get; init; } = "";
    public UpgradeTaskStatus Status { get; init; }
    public int Priority { get; init; }
    public DateTime? ScheduledAt { get; init; }
    public DateTime CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";

    public bool IsOpen => TaskLifecycle.Open.Contains(Status);
}

public sealed record TaskDetail(
    UpgradeTask Task, string SeriesModelCode, string SeriesModelName, string Platform, string? PackageText,
    TaskExtensionInfo Extension, string? SamplingBaseStrategy, long? ValidationRunId);

/// <summary>A VIN of a task with its state, verdict, notice and the vehicle's last reported status.</summary>
public sealed record TaskVinRow
{
    public string Vin { get; init; } = "";
    public TaskVinState State { get; init; }
    public string? VerdictCodes { get; init; }
    public string? MessageId { get; init; }
    public DateTime? NotifiedAt { get; init; }
    public int ResendCount { get; init; }
    public bool IsResend { get; init; }
    /// <summary>The error recorded on the task-VIN (SPEC §7 action 5 records the flashing failures only).</summary>
    public ErrorType? ErrorType { get; init; }
    /// <summary>Why this VIN failed in this task: the recorded error, else the error of its latest report for this task (a download or preparation failure).</summary>
    public ErrorType? Failure { get; init; }
    public string? CloseReason { get; init; }
    public UpgradeState? LastState { get; init; }
    public ErrorType? LastError { get; init; }
    public long? LastTaskId { get; init; }
    public DateTime? LastReportedAt { get; init; }
}

public sealed record TaskVinFilter(TaskVinState? State = null, string? VinPrefix = null);

public sealed record SeriesModelOption(long Id, string Code, string Name, string Platform)
{
    public override string ToString() => $"{Code} · {Name}";
}

/// <summary>A version a task can target: a package of the series-model.</summary>
public sealed record TargetVersionOption(string Version, Generation Generation, PackageStatus Status, string Kind);

/// <summary>The task list and task detail reads: paged, sorted and filtered in MySQL, never a full load.</summary>
public sealed partial class TaskQueries(IDbContextFactory<OtaDbContext> contexts, MySqlConnectionFactory connections, IMemoryCache cache)
{
    private static readonly Sorting<TaskRow> ListSorting = new Sorting<TaskRow>()
        .Column(nameof(TaskRow.Id), t => t.Id)
        .Column(nameof(TaskRow.Name), t => t.Name)
        .Column(nameof(TaskRow.Type), t => t.Type)
        .Column(nameof(TaskRow.Source), t => t.Source)
        .Column(nameof(TaskRow.SeriesModel), t => t.SeriesModel)
        .Column(nameof(TaskRow.TargetVersion), t => t.TargetVersion)
        .Column(nameof(TaskRow.Status), t => t.Status)
        .Column(nameof(TaskRow.Priority), t => t.Priority)
        .Column(nameof(TaskRow.ScheduledAt), t => t.ScheduledAt)
        .Column(nameof(TaskRow.CreatedAt), t => t.CreatedAt)
        .Column(nameof(TaskRow.CreatedBy), t => t.CreatedBy);

    // The per-VIN table of a million-VIN task sorts only by what the (task_id, vin) and (task_id, state) keys serve.
    private static readonly Sorting<TaskVin> VinSorting = new Sorting<TaskVin>()
        .Column(nameof(TaskVinRow.Vin), v => v.Vin)
        .Column(nameof(TaskVinRow.State), v => v.State);

    public async Task<PageResult<TaskRow>> ListAsync(TaskFilter filter, PageQuery page, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tasks = db.Tasks.AsNoTracking();
        if (filter.Type is { } type) tasks = tasks.Where(t => t.Type == type);
        if (filter.Status is { } status) tasks = tasks.Where(t => t.Status == status);
        if (filter.SeriesModelId is { } sm) tasks = tasks.Where(t => t.SeriesModelId == sm);
        if (!string.IsNullOrWhiteSpace(filter.Name)) tasks = tasks.Where(t => t.Name.Contains(filter.Name.Trim()));
        var rows = Rows(db, tasks);
        var total = await tasks.LongCountAsync(ct);
        // The default order is the push order: priority first, the newer task first among equals.
        var items = await ListSorting.Apply(rows, page, nameof(TaskRow.Priority), true, t => t.Id, true)
            .Skip(page.Skip).Take(page.Size).ToListAsync(ct);
        return new PageResult<TaskRow>(items, total);
    }

    /// <summary>
    /// VINs per task (superseded ones not counted), from the (task_id, state) index alone. Counting a million-VIN task
    /// takes a tenth of a second, so the list shows its rows first and asks for these afterwards.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, long>> VinCountsAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        (await ProgressAsync(ids, ct)).ToDictionary(p => p.Key, p => p.Value.Vins);

    /// <summary>The live tasks (sending, paused or sent), the newest first: the dashboard's active campaigns.</summary>
    public async Task<IReadOnlyList<TaskRow>> ActiveAsync(int count = 10, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var live = TaskLifecycle.Live.ToArray();
        return await Rows(db, db.Tasks.AsNoTracking().Where(t => live.Contains(t.Status)).OrderByDescending(t => t.Id).Take(count))
            .OrderByDescending(t => t.Id).ToListAsync(ct);
    }

    /// <summary>Tasks as rows of the list: each with its series-model's code.</summary>
    private static IQueryable<TaskRow> Rows(OtaDbContext db, IQueryable<UpgradeTask> tasks) =>
        tasks.Join(db.SeriesModels, t => t.SeriesModelId, s => s.Id, (t, s) => new TaskRow
        {
            Id = t.Id, Name = t.Name, Type = t.Type, Source = t.Source, SeriesModel = s.Code, TargetVersion = t.TargetVersion,
            Status = t.Status, Priority = t.Priority, ScheduledAt = t.ScheduledAt, CreatedAt = t.CreatedAt, CreatedBy = t.CreatedBy,
        });

    /// <summary>How long a task's progress is shared by the live pages: many open pages cost one count a second.</summary>
    public static readonly TimeSpan ProgressSharedFor = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Each task's VINs (superseded ones not counted) and how many came to an end, from the (task_id, state) index alone;
    /// a count of the last second is shared by every page that asks, so live pages cost at most one count a task a second.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, TaskProgressCounts>> ProgressAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        var result = new Dictionary<long, TaskProgressCounts>();
        var missing = new List<long>();
        foreach (var id in ids.Distinct())
        {
            if (cache.TryGetValue(("task-progress", id), out TaskProgressCounts? known) && known is not null) result[id] = known;
            else missing.Add(id);
        }
        if (missing.Count == 0) return result;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var counts = await db.TaskVins.AsNoTracking().Where(v => missing.Contains(v.TaskId))
            .GroupBy(v => new { v.TaskId, v.State })
            .Select(g => new { g.Key.TaskId, g.Key.State, N = g.LongCount() })
            .ToListAsync(ct);
        foreach (var id in missing)
        {
            var states = counts.Where(c => c.TaskId == id).ToDictionary(c => c.State, c => c.N);
            // The same counts by state are the first half of a task's funnel: a task opened from the list finds them here.
            Remember(id, states);
            // Every task asked about gets its counts, 0 too (a draft whose VINs were all superseded, or all rejected).
            var progress = TaskProgressCounts.From(states);
            cache.Set(("task-progress", id), progress, ProgressSharedFor);
            result[id] = progress;
        }
        return result;
    }

    /// <summary>How long counts by state are reused; the task page's Refresh always counts again.</summary>
    public static readonly TimeSpan CountsReusedFor = TimeSpan.FromSeconds(20);

    private void Remember(long taskId, IReadOnlyDictionary<TaskVinState, long> states) =>
        cache.Set(("task-vin-states", taskId), states, CountsReusedFor);

    /// <summary>The open tasks sent first and last, so the list can disable "up" on the first and "down" on the last.</summary>
    public async Task<(long? First, long? Last)> OpenBoundsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var statuses = TaskLifecycle.Open.ToArray();
        var open = db.Tasks.AsNoTracking().Where(t => statuses.Contains(t.Status));
        var first = await open.OrderByDescending(t => t.Priority).ThenByDescending(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
        var last = await open.OrderBy(t => t.Priority).ThenBy(t => t.Id).Select(t => (long?)t.Id).FirstOrDefaultAsync(ct);
        return (first, last);
    }

    public async Task<TaskDetail?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (task is null) return null;
        var sm = await db.SeriesModels.AsNoTracking().FirstAsync(s => s.Id == task.SeriesModelId, ct);
        string? package = null;
        if (task.PackageId is { } packageId)
        {
            package = task.Generation == Generation.OTA1
                ? await db.TotalFullPackages.AsNoTracking().Where(p => p.Id == packageId)
                    .Select(p => $"OTA1 full package #{p.Id} ({p.Version}, {p.Status})").FirstOrDefaultAsync(ct)
                : await db.Ota2Packages.AsNoTracking().Where(p => p.Id == packageId)
                    .Select(p => $"OTA2 {p.PackageType} package #{p.Id} ({p.Version}, {p.Status})").FirstOrDefaultAsync(ct);
        }
        var extension = TaskExtensionInfo.Parse(task.ExtensionInfo);
        string? baseStrategy = null;
        if (extension.SamplingStrategy is { } sampling)
            baseStrategy = await db.Strategies.AsNoTracking().Where(s => s.Id == sampling.BaseStrategyId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        var runId = await db.ValidationRuns.AsNoTracking().Where(r => r.TaskId == id).OrderByDescending(r => r.Id)
            .Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
        return new TaskDetail(task, sm.Code, sm.Name, sm.Platform, package, extension, baseStrategy, runId);
    }

    /// <summary>The task's funnel: two index-only counts (task-VIN states, latest reports), run side by side.</summary>
    public async Task<TaskFunnel> FunnelAsync(long taskId, CancellationToken ct = default)
    {
        var states = VinStatesAsync(taskId, fresh: true, ct);
        var latest = LatestReportsAsync(taskId, ct);
        return TaskFunnel.From(await states, await latest);
    }

    /// <summary>
    /// The task's VINs by state, from the (task_id, state) index; when <paramref name="fresh"/> is false, counts the
    /// task list made in the last <see cref="CountsReusedFor"/> are reused (a million VINs take a while to count).
    /// </summary>
    public async Task<IReadOnlyDictionary<TaskVinState, long>> VinStatesAsync(long taskId, bool fresh, CancellationToken ct = default)
    {
        if (!fresh && cache.TryGetValue(("task-vin-states", taskId), out IReadOnlyDictionary<TaskVinState, long>? known) && known is not null)
            return known;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var states = await db.TaskVins.AsNoTracking().Where(v => v.TaskId == taskId)
            .GroupBy(v => v.State).Select(g => new { State = g.Key, N = g.LongCount() }).ToDictionaryAsync(g => g.State, g => g.N, ct);
        Remember(taskId, states);
        return states;
    }

    /// <summary>Where the vehicles whose latest report belongs to this task stand, from the (task_id, state, error_type) index.</summary>
    /// <param name="shared">Reuse a count of the last second (the live pages of one task share it), so many open pages cost one count a second.</param>
    public async Task<IReadOnlyCollection<(UpgradeState, ErrorType?, long)>> LatestReportsAsync(long taskId, CancellationToken ct = default,
        bool shared = false)
    {
        if (!shared) return await CountLatestReportsAsync(taskId, ct);
        return (await cache.GetOrCreateAsync(("latest-reports", taskId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(1);
            return CountLatestReportsAsync(taskId, ct);
        }))!;
    }

    private async Task<IReadOnlyCollection<(UpgradeState, ErrorType?, long)>> CountLatestReportsAsync(long taskId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var latest = await db.LatestStatuses.AsNoTracking().Where(l => l.TaskId == taskId)
            .GroupBy(l => new { l.State, l.ErrorType }).Select(g => new { g.Key.State, g.Key.ErrorType, N = g.LongCount() }).ToListAsync(ct);
        return latest.Select(l => (l.State, l.ErrorType, l.N)).ToList();
    }

    /// <param name="knownTotal">The count of this filter from an earlier page, so paging does not count again.</param>
    public async Task<PageResult<TaskVinRow>> VinsAsync(long taskId, TaskVinFilter filter, PageQuery page, long? knownTotal = null,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var vins = db.TaskVins.AsNoTracking().Where(v => v.TaskId == taskId);
        if (filter.State is { } state) vins = vins.Where(v => v.State == state);
        var prefix = filter.VinPrefix?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(prefix)) vins = vins.Where(v => v.Vin.StartsWith(prefix));
        var total = knownTotal ?? await vins.LongCountAsync(ct);
        var rows = await VinSorting.Apply(vins, page, nameof(TaskVinRow.Vin), false, v => v.Vin, false)
            .Skip(page.Skip).Take(page.Size)
            .Select(v => new TaskVinRow
            {
                Vin = v.Vin, State = v.State, VerdictCodes = v.VerdictCodes, MessageId = v.MessageId, NotifiedAt = v.NotifiedAt,
                ResendCount = v.ResendCount, IsResend = v.IsResend, ErrorType = v.ErrorType, CloseReason = v.CloseReason,
            })
            .ToListAsync(ct);
        return new PageResult<TaskVinRow>(await WithLatestReportsAsync(db, taskId, rows, ct), total);
    }

    /// <summary>Each row with its vehicle's latest status report, read for the page's VINs in one query.</summary>
    private static async Task<IReadOnlyList<TaskVinRow>> WithLatestReportsAsync(OtaDbContext db, long taskId, IReadOnlyList<TaskVinRow> rows,
        CancellationToken ct)
    {
        var keys = rows.Select(r => r.Vin).ToList();
        var latest = await db.LatestStatuses.AsNoTracking().Where(l => keys.Contains(l.Vin)).ToDictionaryAsync(l => l.Vin, ct);
        return rows.Select(r => latest.TryGetValue(r.Vin, out var l)
            ? r with
            {
                LastState = l.State,
                LastError = l.ErrorType,
                LastTaskId = l.TaskId,
                LastReportedAt = l.ReportedAt,
                Failure = r.ErrorType ?? (l.TaskId == taskId ? l.ErrorType : null),
            }
            : r with { Failure = r.ErrorType }).ToList();
    }

    public async Task<bool> ExistsAsync(long taskId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Tasks.AnyAsync(t => t.Id == taskId, ct);
    }

    /// <summary>The most VINs one page of <see cref="VinPageAsync"/> holds.</summary>
    public const int MaxVinPage = 1000;

    /// <summary>
    /// A page of the task's VINs in VIN order, after <paramref name="afterVin"/> (keyset paging, SPEC §16): each page
    /// is a range read of the (task_id, vin) key, so the last page of a million-VIN task costs what the first does.
    /// With a state, the (task_id, state, rollout_group) index holds each group's VINs of that state in VIN order (the
    /// key's VIN is its last part): one covering range read per rollout group, merged, then the page's rows by their
    /// key, so no state and no position makes the read scan the task.
    /// </summary>
    /// <returns>The page, and whether more VINs follow it.</returns>
    public async Task<(IReadOnlyList<TaskVinRow> Items, bool More)> VinPageAsync(long taskId, TaskVinState? state, int limit, string? afterVin,
        CancellationToken ct = default)
    {
        limit = Math.Clamp(limit, 1, MaxVinPage);
        const string columns = "vin, state, verdict_codes, message_id, notified_at, resend_count, is_resend, error_type, close_reason";
        var after = afterVin ?? "";
        await using var connection = await connections.OpenAsync(ct);
        string sql;
        if (state is null)
            sql = $"SELECT {columns} FROM ota_task_vin WHERE task_id = @task AND vin > @after ORDER BY vin LIMIT @take";
        else
        {
            var groups = Convert.ToInt32(await Sql.ScalarAsync(connection, null,
                "SELECT COUNT(*) FROM ota_task_rollout_group WHERE task_id = @task", ct, ("@task", taskId)), System.Globalization.CultureInfo.InvariantCulture);
            // Each group's part reads the VIN alone, from the index: a covering read is a range read from the cursor on.
            // Asked for the other columns too, MariaDB took the index by its first three parts and skipped the entries
            // before the cursor one by one (the middle of a million-VIN task: four times the first page's time).
            var perGroup = Enumerable.Range(0, Math.Max(1, groups)).Select(g =>
                $"(SELECT vin FROM ota_task_vin WHERE task_id = @task AND state = @state AND rollout_group = {g} AND vin > @after ORDER BY vin LIMIT @take)");
            sql = $"SELECT {string.Join(", ", columns.Split(", ").Select(c => "tv." + c))} " +
                  $"FROM (SELECT vin FROM ({string.Join(" UNION ALL ", perGroup)}) g ORDER BY vin LIMIT @take) page " +
                  "JOIN ota_task_vin tv ON tv.task_id = @task AND tv.vin = page.vin ORDER BY tv.vin";
        }
        var rows = new List<TaskVinRow>(limit + 1);
        await using (var command = Sql.Command(connection, null, sql,
            ("@task", taskId), ("@after", after), ("@take", limit + 1), ("@state", state?.ToString())))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                rows.Add(new TaskVinRow
                {
                    Vin = reader.GetString(0), State = Enum.Parse<TaskVinState>(reader.GetString(1)),
                    VerdictCodes = reader.IsDBNull(2) ? null : reader.GetString(2), MessageId = reader.IsDBNull(3) ? null : reader.GetString(3),
                    NotifiedAt = reader.IsDBNull(4) ? null : reader.GetDateTime(4), ResendCount = reader.GetInt32(5), IsResend = reader.GetBoolean(6),
                    ErrorType = reader.IsDBNull(7) ? null : Enum.Parse<ErrorType>(reader.GetString(7)), CloseReason = reader.IsDBNull(8) ? null : reader.GetString(8),
                });
        }
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await WithLatestReportsAsync(db, taskId, rows, ct), more);
    }

    public async Task<IReadOnlyList<SeriesModelOption>> SeriesModelsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.SeriesModels.AsNoTracking().OrderBy(s => s.Code)
            .Select(s => new SeriesModelOption(s.Id, s.Code, s.Name, s.Platform)).ToListAsync(ct);
    }

    /// <summary>The versions the series-model has packages for: OTA1 full packages and OTA2 packages, newest first.</summary>
    public async Task<IReadOnlyList<TargetVersionOption>> TargetVersionsAsync(long seriesModelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ota1 = await db.TotalFullPackages.AsNoTracking().Where(p => p.SeriesModelId == seriesModelId)
            .Select(p => new TargetVersionOption(p.Version, Generation.OTA1, p.Status, "OTA1 full")).ToListAsync(ct);
        var ota2 = await db.Ota2Packages.AsNoTracking().Where(p => p.SeriesModelId == seriesModelId && p.PackageType == PackageType.Full)
            .Select(p => new TargetVersionOption(p.Version, Generation.OTA2, p.Status, "OTA2 full")).ToListAsync(ct);
        return ota1.Concat(ota2).OrderByDescending(o => o.Version, Comparer<string>.Create(FirmwareVersion.Compare)).ToList();
    }

    /// <summary>Validation runs the user started that created (or will create) a task, newest first: "come back to my upload".</summary>
    public async Task<IReadOnlyList<ValidationRun>> RecentUploadsAsync(string user, int count = 5, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ValidationRuns.AsNoTracking().Where(r => r.CreatedBy == user && r.Mode == ValidationMode.Create)
            .OrderByDescending(r => r.Id).Take(count).ToListAsync(ct);
    }

    public async Task<ValidationRun?> RunAsync(long runId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ValidationRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, ct);
    }
}
