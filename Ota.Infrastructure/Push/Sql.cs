using MySqlConnector;

namespace Ota.Infrastructure.Push;

/// <summary>Plain commands for the set-based push, compensation and cancellation paths.</summary>
internal static class Sql
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

    public static MySqlCommand Command(MySqlConnection connection, MySqlTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new MySqlCommand(sql, connection, tx) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    /// <summary>
    /// Runs a READ COMMITTED transaction, again when InnoDB picked it as a deadlock victim or a lock wait timed out: the
    /// push, an operator's cancel and a sampling supersession can lock the same rows in different orders. The work must
    /// be repeatable (it is: every statement re-checks the state it changes). Read committed because the safety of these
    /// paths rests on the row locks of their updates and the conditions they re-check, not on snapshots; it spares
    /// neighbouring chunks the gap locks of repeatable read.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(MySqlConnection connection, Func<MySqlTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
            try
            {
                var result = await work(tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (MySqlException e) when (attempt < 5 && e.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout)
            {
                await tx.RollbackAsync(CancellationToken.None);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * attempt), ct);
            }
        }
    }

    /// <summary>A fresh temporary table of VINs (and optional text), private to this connection.</summary>
    public static async Task CreateVinTableAsync(MySqlConnection connection, string name, bool withText, CancellationToken ct)
    {
        await ExecAsync(connection, null, $"DROP TEMPORARY TABLE IF EXISTS {name}", ct);
        var text = withText ? ", text VARCHAR(512) NOT NULL" : "";
        await ExecAsync(connection, null,
            $"CREATE TEMPORARY TABLE {name} (vin {Persistence.Configurations.VinColumn.SqlType} NOT NULL PRIMARY KEY{text}) ENGINE=InnoDB", ct);
    }

    /// <summary>The database clock (UTC, milliseconds) that every lease is measured by, so instances with skewed clocks agree.</summary>
    public const string Now = "UTC_TIMESTAMP(3)";

    /// <summary>A claim that is free to take: never claimed, released, or whose holder's lease ran out.</summary>
    public const string LeaseFree = "(lease_until IS NULL OR lease_until < UTC_TIMESTAMP(3))";
}
