using System.Globalization;
using MySqlConnector;
using Xunit;

namespace Ota.Testing;

/// <summary>
/// What a dump of the database shows of the vehicles' credentials (SPEC §15): every value of every row of ota_vehicle
/// and ota_ddi_target, read straight from the tables.
/// </summary>
public static class StoredSecrets
{
    public const string WrappedPrefix = "kw1:";

    /// <summary>
    /// Every stored vehicle secret is wrapped (<c>kw1:…</c>), and no value of either table is any of
    /// <paramref name="known"/> (vehicle secrets, DDI tokens) in clear.
    /// </summary>
    public static async Task AssertNoneInClearAsync(MariaDbFixture db, IReadOnlyCollection<string> known)
    {
        Assert.NotEmpty(known);
        var secrets = await ReadAsync(db, "SELECT secret FROM ota_vehicle");
        Assert.NotEmpty(secrets);
        var clear = secrets.Where(s => !s.StartsWith(WrappedPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(clear.Count == 0, $"{clear.Count} of {secrets.Count} stored vehicle secrets are not wrapped");

        var dumped = (await ReadAsync(db, "SELECT * FROM ota_vehicle")).Concat(await ReadAsync(db, "SELECT * FROM ota_ddi_target"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var leaked = known.Where(dumped.Contains).ToList();
        Assert.True(leaked.Count == 0, $"{leaked.Count} of {known.Count} known secrets or tokens are stored in clear");
    }

    /// <summary>Every non-null value of every row <paramref name="sql"/> reads, as text.</summary>
    public static async Task<List<string>> ReadAsync(MariaDbFixture db, string sql)
    {
        var values = new List<string>();
        await using var connection = new MySqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (reader.IsDBNull(i)) continue;
                values.Add(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "");
            }
        }
        return values;
    }
}
