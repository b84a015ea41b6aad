using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Batching;
using Ota.Infrastructure.Persistence;
using Ota.Infrastructure.Validation;

namespace Ota.Infrastructure.Vehicles;

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
/// (<see cref="RequestBatcher{TItem,TResult}"/>): four set-based statements for all the VINs in the batch, sent as one
/// command. Nothing is cached: each answer reflects the database when its batch was read.
/// </summary>
public sealed class VehicleStates : IAsyncDisposable
{
    // Task-VINs that were taken off the vehicle no longer "hold" it.
    private const string LiveTaskVin =
        "tv.is_delete = 0 AND tv.state NOT IN ('Cancelled', 'Superseded') AND t.status <> 'Cancelled'";

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
        await using var command = new MySqlCommand { Connection = connection };
        for (var i = 0; i < vins.Count; i++) command.Parameters.AddWithValue(Name("@v", i), vins[i]);
        var vinList = string.Join(", ", vins.Select((_, i) => Name("@v", i)));
        var vinSource = string.Join(" UNION ALL ", vins.Select((_, i) => $"SELECT {Name("@v", i)} AS vin"));

        var sql = new StringBuilder();
        for (var k = 0; k < requests.Count; k++)
        {
            var vin = Name("@v", vins.FindIndex(v => string.Equals(v, requests[k].Vin, StringComparison.OrdinalIgnoreCase)));
            sql.Append(k == 0 ? "" : " UNION ALL ").Append('(');
            sql.Append(CultureInfo.InvariantCulture, $"""
                SELECT {k} AS k, t.id, t.type, t.source, t.series_model_id, t.target_version, t.extension_info
                FROM ota_task_vin tv JOIN ota_task t ON t.id = tv.task_id
                """);
            if (requests[k].TaskId is { } task)
            {
                sql.Append(CultureInfo.InvariantCulture, $" WHERE tv.vin = {vin} AND tv.task_id = {Name("@t", k)} AND {LiveTaskVin} LIMIT 1");
                command.Parameters.AddWithValue(Name("@t", k), task);
            }
            else
            {
                // Without a task id: the newest notified task-VIN of this VIN for this target (SPEC §7).
                sql.Append(CultureInfo.InvariantCulture, $"""
                     WHERE tv.vin = {vin} AND tv.notified_at IS NOT NULL AND t.target_version = {Name("@g", k)} AND {LiveTaskVin}
                    ORDER BY tv.notified_at DESC, tv.task_id DESC LIMIT 1
                    """);
                command.Parameters.AddWithValue(Name("@g", k), requests[k].TargetVersion);
            }
            sql.Append(')');
        }
        sql.Append(CultureInfo.InvariantCulture, $"""
            ;
            SELECT vin, strategy_id, id, created_at FROM ota_upgrade_strategy_vin_relation
            WHERE vin IN ({vinList}) ORDER BY vin, created_at DESC, id DESC;
            SELECT vin, task_id FROM ota_vehicle_latest_status WHERE vin IN ({vinList});
            {VehicleFactsReader.Sql(vinSource)}
            """);
        command.CommandText = sql.ToString();

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
                if (!reader.IsDBNull(1)) latestTasks[reader.GetString(0)] = reader.GetInt64(1);
            await NextAsync(reader, ct);
            while (await reader.ReadAsync(ct))
            {
                var (vin, read) = VehicleFactsReader.Read(reader, configWordSeriesModels);
                facts[vin] = read;
            }
        }

        return requests.Select((r, k) => new VehicleState(tasks[k], strategies.GetValueOrDefault(r.Vin),
            latestTasks.TryGetValue(r.Vin, out var latest) ? latest : null, facts.GetValueOrDefault(r.Vin))).ToArray();
    }

    private static async Task NextAsync(MySqlDataReader reader, CancellationToken ct)
    {
        if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("A result of the vehicle read is missing.");
    }

    private static string Name(string prefix, int i) => prefix + i.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
