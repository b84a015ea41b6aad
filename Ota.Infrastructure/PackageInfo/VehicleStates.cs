using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Facts;
using Ota.Infrastructure.Platform.Batching;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Platform.Persistence.Configurations;
using Ota.Infrastructure.Platform.Security;

namespace Ota.Infrastructure.PackageInfo;

/// <summary>The task a package-info request is about, as stored.</summary>
public sealed record TaskRow(long Id, TaskType Type, TaskSource Source, long SeriesModelId, string TargetVersion, string? ExtensionInfo);

/// <summary>The vehicle's own strategy relation (the newest one).</summary>
public sealed record VinStrategyRow(long StrategyId, long RelationId, DateTime RelatedAt);

/// <summary>
/// What package-info must know of a vehicle at the moment it asks: the task-VIN it asks about (or the newest notified one
/// for its target), its own strategy, the task of its latest status report and its facts (registry, lists, status).
/// </summary>
public sealed record VehicleState(TaskRow? Task, VinStrategyRow? VinStrategy, long? LatestStatusTaskId, VehicleFacts Facts);

/// <summary>
/// Reads <see cref="VehicleState"/> for package-info. Concurrent requests share one round trip
/// (<see cref="RequestBatcher{TItem,TResult}"/>): three set-based statements for all the VINs in the batch, sent as one
/// command. Nothing is cached: each answer reflects the database when its batch was read.
/// </summary>
public sealed class VehicleStates : IAsyncDisposable
{
    // Task-VINs that were taken off the vehicle, and cancelled tasks, no longer "hold" it.
    private static readonly string LiveTaskVin =
        $"tv.is_delete = 0 AND tv.state NOT IN {Sql.List(TaskVinLifecycle.Released)} AND t.status <> {Sql.Text(UpgradeTaskStatus.Cancelled)}";

    private readonly StatelessMySqlConnections _connections;
    private readonly CatalogCache _catalog;
    private readonly RequestBatcher<PackageInfoRequest, VehicleState> _batcher;

    public VehicleStates(StatelessMySqlConnections connections, CatalogCache catalog, IOptions<VehicleApiOptions> options,
        ILogger<VehicleStates> logger)
    {
        _connections = connections;
        _catalog = catalog;
        _batcher = new RequestBatcher<PackageInfoRequest, VehicleState>(ReadAsync, options.Value.StateReadBatchSize,
            options.Value.StateReaders, "package-info vehicle reads", logger);
    }

    public Task<VehicleState> GetAsync(PackageInfoRequest request, CancellationToken cancellationToken = default) =>
        _batcher.SubmitAsync(request, cancellationToken);

    private async Task<IReadOnlyList<VehicleState>> ReadAsync(IReadOnlyList<PackageInfoRequest> requests, CancellationToken ct)
    {
        var configWordSeriesModels = (await _catalog.GetAsync(ct)).ConfigWordSeriesModels;
        var vins = requests.Select(r => r.Vin).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await using var connection = await _connections.OpenAsync(ct);
        // The calls travel as one JSON parameter read by JSON_TABLE: the statements keep one short text whatever the
        // batch size, so MariaDB parses and plans three small statements instead of a union per call.
        await using var command = new MySqlCommand(ReadSql, connection);
        command.Parameters.AddWithValue("@asked", AskedJson(requests));
        command.Parameters.AddWithValue("@vins", JsonSerializer.Serialize(vins));

        var tasks = new TaskRow?[requests.Count];
        var strategies = new Dictionary<string, VinStrategyRow>(StringComparer.OrdinalIgnoreCase);
        var latestTasks = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var facts = new Dictionary<string, VehicleFacts>(StringComparer.OrdinalIgnoreCase);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                tasks[reader.GetInt32(0)] = new TaskRow(reader.GetInt64(1), Enum.Parse<TaskType>(reader.GetString(2)),
                    Enum.Parse<TaskSource>(reader.GetString(3)), reader.GetInt64(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6));
            await NextAsync(reader, ct);
            while (await reader.ReadAsync(ct))
                strategies.TryAdd(reader.GetString(0), new VinStrategyRow(reader.GetInt64(1), reader.GetInt64(2), reader.GetDateTime(3)));
            await NextAsync(reader, ct);
            while (await reader.ReadAsync(ct))
            {
                var (vin, read) = VehicleFactsReader.Read(reader, configWordSeriesModels);
                facts[vin] = read;
                if (!reader.IsDBNull(LatestTaskColumn)) latestTasks[vin] = reader.GetInt64(LatestTaskColumn);
            }
        }

        return requests.Select((r, k) => new VehicleState(tasks[k], strategies.GetValueOrDefault(r.Vin),
            latestTasks.TryGetValue(r.Vin, out var latest) ? latest : null, facts.GetValueOrDefault(r.Vin))).ToArray();
    }

    // The VINs as JSON_TABLE yields them, in the columns' own type (VinColumn.SqlType) so the joins use their indexes.
    private const string Asked =
        $"JSON_TABLE(@asked, '$[*]' COLUMNS (k INT PATH '$.k', vin {VinColumn.SqlType} PATH '$.v', task BIGINT PATH '$.t', target VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci PATH '$.g')) r";
    private const string Vins = $"JSON_TABLE(@vins, '$[*]' COLUMNS (vin {VinColumn.SqlType} PATH '$')) j";

    /// <summary>The latest status report's task, read after the columns of <see cref="VehicleFactsReader.Query"/>.</summary>
    private const int LatestTaskColumn = VehicleFactsReader.ColumnCount;

    // 1. Each call's task-VIN: the one it names, or without a task id the newest notified task-VIN of its VIN for its
    //    target (SPEC §7). The window picks one per call over ids only; the task's text columns are joined afterwards
    //    (a TEXT column in the windowed rows would put them in an on-disk temporary table).
    // 2. The vehicles' own strategy relations, newest first.
    // 3. The vehicles' facts, and the task of their latest status report.
    private static readonly string ReadSql = $"""
        SELECT x.k, t.id, t.type, t.source, t.series_model_id, t.target_version, t.extension_info FROM (
            SELECT r.k, tv.task_id,
                   ROW_NUMBER() OVER (PARTITION BY r.k ORDER BY tv.notified_at DESC, tv.task_id DESC) AS n
            FROM {Asked}
            STRAIGHT_JOIN ota_task_vin tv ON tv.vin = r.vin
            STRAIGHT_JOIN ota_task t ON t.id = tv.task_id
            WHERE {LiveTaskVin}
              AND ((r.task IS NOT NULL AND tv.task_id = r.task)
                   OR (r.task IS NULL AND tv.notified_at IS NOT NULL AND t.target_version = r.target))
        ) x JOIN ota_task t ON t.id = x.task_id
        WHERE x.n = 1;
        SELECT sv.vin, sv.strategy_id, sv.id, sv.created_at FROM {Vins}
        STRAIGHT_JOIN ota_upgrade_strategy_vin_relation sv ON sv.vin = j.vin
        ORDER BY sv.vin, sv.created_at DESC, sv.id DESC;
        {VehicleFactsReader.Query($"SELECT vin FROM {Vins}", "ls.task_id")}
        """;

    private static string AskedJson(IReadOnlyList<PackageInfoRequest> requests)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            for (var k = 0; k < requests.Count; k++)
            {
                json.WriteStartObject();
                json.WriteNumber("k", k);
                json.WriteString("v", requests[k].Vin);
                if (requests[k].TaskId is { } task) json.WriteNumber("t", task);
                else json.WriteString("g", requests[k].TargetVersion);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task NextAsync(MySqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("A result of the vehicle read is missing.");
    }

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
