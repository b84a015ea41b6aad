using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using MySqlConnector;
using Ota.Domain;
using Ota.Domain.Tasks.Validation;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Facts;

/// <summary>
/// Reads the vehicle-phase facts of many VINs in one set-based query: the VINs (from a staging table or the
/// task-VINs being pushed) joined in the database with the registry, the black and white lists and the latest
/// upgrade status, streamed back with a data reader. No query per VIN.
/// </summary>
public static class VehicleFactsReader
{
    /// <summary>
    /// <paramref name="vinSource"/> is a SELECT yielding a column named <c>vin</c>; its parameters go in
    /// <paramref name="parameters"/>.
    /// </summary>
    public static async IAsyncEnumerable<(string Vin, VehicleFacts Facts)> ReadAsync(
        MySqlConnection connection, MySqlTransaction? transaction, string vinSource, IEnumerable<MySqlParameter> parameters,
        IReadOnlySet<long> configWordSeriesModels, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var command = new MySqlCommand(Query(vinSource), connection, transaction) { CommandTimeout = 0 };
        foreach (var p in parameters) command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
            yield return Read(reader, configWordSeriesModels);
    }

    /// <summary>The columns <see cref="Read"/> reads; a caller's extra columns start at this index.</summary>
    public const int ColumnCount = 16;

    /// <summary>
    /// The facts query over <paramref name="vinSource"/>, for callers that send it together with other statements in one
    /// round trip; read its rows with <see cref="Read"/>. <paramref name="extraColumns"/> (over the same aliases: <c>s</c>
    /// the VINs, <c>v</c> the vehicle, <c>ls</c> its latest status) come after the <see cref="ColumnCount"/> that
    /// <see cref="Read"/> reads.
    /// </summary>
    public static string Query(string vinSource, string? extraColumns = null) => $"""
        SELECT s.vin, v.id IS NOT NULL, v.series_model_id, v.platform, v.lifecycle_status, v.`usage`, v.sold,
               v.firmware_version, v.config_word,
               EXISTS (SELECT 1 FROM ota_vehicle_blacklist b WHERE b.vin = s.vin AND b.is_delete = 0),
               EXISTS (SELECT 1 FROM ota_vehicle_whitelist w WHERE w.vin = s.vin AND w.type = {Sql.Text(WhitelistType.Forced)} AND w.is_delete = 0),
               EXISTS (SELECT 1 FROM ota_vehicle_whitelist w WHERE w.vin = s.vin AND w.type = {Sql.Text(WhitelistType.SameVersion)} AND w.is_delete = 0),
               EXISTS (SELECT 1 FROM ota_vehicle_whitelist w WHERE w.vin = s.vin AND w.type = {Sql.Text(WhitelistType.Downgrade)} AND w.is_delete = 0),
               ls.trigger_type, ls.state, v.update_client{(extraColumns is null ? "" : ", " + extraColumns)}
        FROM ({vinSource}) s
        LEFT JOIN ota_vehicle v ON v.vin = s.vin
        LEFT JOIN ota_vehicle_latest_status ls ON ls.vin = s.vin
        """;

    /// <summary>The current row of a reader positioned on a result of <see cref="Query"/>.</summary>
    public static (string Vin, VehicleFacts Facts) Read(MySqlDataReader reader, IReadOnlySet<long> configWordSeriesModels)
    {
        var vin = reader.GetString(0);
        if (!reader.GetBoolean(1)) return (vin, VehicleFacts.NotFound);
        var seriesModelId = reader.GetInt64(2);
        var facts = new VehicleFacts
        {
            Found = true,
            SeriesModelId = seriesModelId,
            Platform = reader.GetString(3),
            LifecycleStatus = Parse<LifecycleStatus>(reader.GetString(4)),
            Usage = Parse<VehicleUsage>(reader.GetString(5)),
            Sold = reader.GetBoolean(6),
            FirmwareVersion = reader.GetString(7),
            ConfigWord = reader.IsDBNull(8) ? null : reader.GetString(8),
            Blacklisted = reader.GetBoolean(9),
            OnForcedWhitelist = reader.GetBoolean(10),
            OnSameVersionWhitelist = reader.GetBoolean(11),
            OnDowngradeWhitelist = reader.GetBoolean(12),
            LatestTrigger = reader.IsDBNull(13) ? null : Parse<TriggerType>(reader.GetString(13)),
            LatestState = reader.IsDBNull(14) ? null : Parse<UpgradeState>(reader.GetString(14)),
            VariantSupportsConfigWord = configWordSeriesModels.Contains(seriesModelId),
            UpdateClient = Parse<UpdateClient>(reader.GetString(15)),
        };
        return (vin, facts);
    }

    private static T Parse<T>(string text) where T : struct, Enum => EnumNames<T>.Values[text];

    /// <summary>Enum values by their stored names, looked up without Enum.Parse's cost on the million-row path.</summary>
    private static class EnumNames<T> where T : struct, Enum
    {
        public static readonly FrozenDictionary<string, T> Values =
            Enum.GetValues<T>().ToFrozenDictionary(v => v.ToString(), StringComparer.Ordinal);
    }
}
