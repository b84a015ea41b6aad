using MySqlConnector;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// The one lease on queue rows (task-VIN claims of the push, compensation and cancel notices; validation chunks;
/// follow-ups): a claim token of one format in <c>claimed_by</c> and an expiry in <c>lease_until</c>. Expiry is set and
/// compared on the database's clock only, so app instances whose clocks disagree still agree on whose a row is.
/// </summary>
/// <remarks>
/// The clock is read (<see cref="ClockAsync"/>) and handed to the statement as a value, not called inside it: the
/// follow-ups' claim, which scans a backlog by a secondary index, deadlocked with the rows' own updates dozens of times a
/// run (`./ota bench e2e`) when its WHERE compared with <c>UTC_TIMESTAMP(3)</c> (or a user variable set from it), and not
/// once with the same time given as a value.
/// </remarks>
public static class Lease
{
    /// <summary>The parameter that carries the database's clock, read by <see cref="ClockAsync"/>.</summary>
    public const string ClockParameter = "@leaseClock";

    /// <summary>The parameter that carries a lease's length in milliseconds to <see cref="Until"/>.</summary>
    public const string LengthParameter = "@leaseMs";

    /// <summary>A <c>lease_until</c> value <see cref="LengthParameter"/> milliseconds after the clock.</summary>
    public const string Until = $"{ClockParameter} + INTERVAL ({LengthParameter} * 1000) MICROSECOND";

    /// <summary>The database's clock (UTC, milliseconds), as the <see cref="ClockParameter"/> of the statements that follow.</summary>
    public static async Task<(string Name, object? Value)> ClockAsync(MySqlConnection connection, MySqlTransaction? transaction,
        CancellationToken ct) =>
        (ClockParameter, await Sql.ScalarAsync(connection, transaction, "SELECT UTC_TIMESTAMP(3)", ct));

    /// <summary>The parameter for <see cref="Until"/>.</summary>
    public static (string Name, object? Value) Length(TimeSpan lease) => (LengthParameter, (long)lease.TotalMilliseconds);

    /// <summary>A claim that is free to take: never claimed, released, or whose holder's lease ran out.</summary>
    public static string Free(string? alias = null)
    {
        var column = Column(alias);
        return $"({column} IS NULL OR {column} < {ClockParameter})";
    }

    /// <summary>A held claim whose lease ran out: its holder is presumed dead.</summary>
    public static string Expired(string? alias = null) => $"{Column(alias)} < {ClockParameter}";

    /// <summary>
    /// A new claim token (at most 128 characters, the column's length): the instance's name, for whoever reads the table,
    /// and a part unique to this claim, so two claims of one instance never pass for each other.
    /// </summary>
    public static string NewToken(string instance) => $"{(instance.Length > 95 ? instance[..95] : instance)}#{Guid.NewGuid():N}";

    private static string Column(string? alias) => alias is null ? "lease_until" : $"{alias}.lease_until";
}
