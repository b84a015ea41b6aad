using System.Globalization;
using System.Text;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// The one helper for plain SQL on the set-based paths: commands with parameters, transactions retried by
/// <see cref="DeadlockRetry"/>, private temporary tables of VINs, and stored enum values (states) written as SQL from
/// their enum, so no state name is spelled out in a statement.
/// </summary>
public static class Sql
{
    public static async Task<int> ExecAsync(MySqlConnection connection, MySqlTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<object?> ScalarAsync(MySqlConnection connection, MySqlTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    /// <summary>The first column of every row, as whole numbers (ids).</summary>
    public static async Task<List<long>> IdsAsync(MySqlConnection connection, MySqlTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        var ids = new List<long>();
        await using var command = Command(connection, tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    /// <summary>
    /// Inserts rows with one multi-row statement (per thousand rows) and returns their new ids in the rows' order: MariaDB's
    /// <c>INSERT … RETURNING</c> answers with the inserted rows in the order they were inserted. Values go as parameters.
    /// </summary>
    public static async Task<List<long>> InsertReturningIdsAsync(MySqlConnection connection, MySqlTransaction? tx, string table,
        IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var ids = new List<long>(rows.Count);
        foreach (var chunk in rows.Chunk(1000))
        {
            await using var command = new MySqlCommand { Connection = connection, Transaction = tx, CommandTimeout = 0 };
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
            for (var r = 0; r < chunk.Length; r++)
            {
                if (chunk[r].Length != columns.Count) throw new ArgumentException($"Row {r} has {chunk[r].Length} values for {columns.Count} columns.", nameof(rows));
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Count; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{r}_{c}");
                    sql.Append(c == 0 ? name : ", " + name);
                    command.Parameters.AddWithValue(name, chunk[r][c] ?? DBNull.Value);
                }
                sql.Append(')');
            }
            command.CommandText = sql.Append(" RETURNING id").ToString();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        }
        if (ids.Count != rows.Count) throw new InvalidOperationException($"{table}: {rows.Count} rows inserted, {ids.Count} ids returned.");
        return ids;
    }

    public static MySqlCommand Command(MySqlConnection connection, MySqlTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        // The connections allow user variables, so a lease statement without its clock would compare with NULL and never
        // see a lease as free: refused here instead.
        if (sql.Contains(Lease.ClockParameter, StringComparison.Ordinal) && !parameters.Any(p => p.Name == Lease.ClockParameter))
            throw new InvalidOperationException($"The statement uses {Lease.ClockParameter}: give it the value of Lease.ClockAsync.");
        var command = new MySqlCommand(sql, connection, tx) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>
    /// Runs a READ COMMITTED transaction, again (by <see cref="DeadlockRetry"/>) when InnoDB picked it as a deadlock victim
    /// or a lock wait timed out: the push, an operator's cancel and a sampling supersession can lock the same rows in
    /// different orders. The work must be repeatable (it is: every statement re-checks the state it changes). Read
    /// committed because the safety of these paths rests on the row locks of their updates and the conditions they
    /// re-check, not on snapshots; it spares neighbouring chunks the gap locks of repeatable read.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(MySqlConnection connection, Func<MySqlTransaction, Task<T>> work, CancellationToken ct) =>
        DeadlockRetry.RunAsync(async () =>
        {
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            var result = await work(tx);
            await tx.CommitAsync(ct);
            return result;
        }, ct);

    /// <summary>A fresh temporary table of VINs (and optional text), private to this connection.</summary>
    public static async Task CreateVinTableAsync(MySqlConnection connection, string name, bool withText, CancellationToken ct)
    {
        await ExecAsync(connection, null, $"DROP TEMPORARY TABLE IF EXISTS {name}", ct);
        var text = withText ? ", text VARCHAR(512) NOT NULL" : "";
        await ExecAsync(connection, null,
            $"CREATE TEMPORARY TABLE {name} (vin {VinColumn.SqlType} NOT NULL PRIMARY KEY{text}) ENGINE=InnoDB", ct);
    }

    /// <summary>
    /// A stored enum value (a state, a status, a step) as a SQL string literal. Enums are stored by member name, and
    /// member names need no escaping.
    /// </summary>
    public static string Text<T>(T value) where T : struct, Enum => $"'{value}'";

    /// <summary>A set of stored enum values as a SQL list for IN: <c>('Cancelled', 'Closed')</c>.</summary>
    public static string List<T>(IEnumerable<T> values) where T : struct, Enum
    {
        var texts = values.Order().Select(Text).ToList();
        if (texts.Count == 0) throw new ArgumentException("An IN list needs at least one value.", nameof(values));
        return "(" + string.Join(", ", texts) + ")";
    }
}
