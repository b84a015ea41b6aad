using MySqlConnector;

namespace Ota.Infrastructure.Platform.Persistence.Bulk;

/// <summary>Loads rows into a table with MySqlBulkCopy (LOAD DATA LOCAL INFILE under the hood).</summary>
public static class BulkLoader
{
    private static readonly BulkColumn<string>[] VinColumn = [new("vin", typeof(string), v => v)];

    /// <summary>Loads VINs into a table whose one column is <c>vin</c> (see <see cref="Sql.CreateVinTableAsync"/>).</summary>
    public static Task<int> LoadVinsAsync(MySqlConnection connection, MySqlTransaction? transaction, string table, IEnumerable<string> vins,
        CancellationToken cancellationToken = default) =>
        LoadAsync(connection, transaction, table, vins, VinColumn, cancellationToken);

    public static async Task<int> LoadAsync<T>(MySqlConnection connection, MySqlTransaction? transaction, string table,
        IEnumerable<T> rows, IReadOnlyList<BulkColumn<T>> columns, CancellationToken cancellationToken = default)
    {
        var bulk = new MySqlBulkCopy(connection, transaction)
        {
            DestinationTableName = table,
            BulkCopyTimeout = 0,
            ConflictOption = MySqlBulkLoaderConflictOption.None,
        };
        for (var i = 0; i < columns.Count; i++)
            bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, columns[i].Name));
        await using var reader = new BulkRows<T>(rows, columns);
        var result = await bulk.WriteToServerAsync(reader, cancellationToken);
        if (result.Warnings.Count > 0)
            throw new InvalidOperationException($"Bulk load into {table} reported: {string.Join("; ", result.Warnings.Take(5).Select(w => w.Message))}");
        return result.RowsInserted;
    }
}
