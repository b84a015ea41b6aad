namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// The one lease on queue rows (task-VIN claims of the push, compensation and cancel notices; validation chunks;
/// follow-ups): a claim token of one format in <c>claimed_by</c> and an expiry in <c>lease_until</c>. Expiry is set and
/// compared on the database's clock only, so app instances whose clocks disagree still agree on whose a row is.
/// </summary>
public static class Lease
{
    /// <summary>The database clock (UTC, milliseconds) every lease is measured by.</summary>
    public const string Now = "UTC_TIMESTAMP(3)";

    /// <summary>The parameter that carries a lease's length in milliseconds to <see cref="Until"/>.</summary>
    public const string LengthParameter = "@leaseMs";

    /// <summary>A <c>lease_until</c> value <see cref="LengthParameter"/> milliseconds from now.</summary>
    public const string Until = $"{Now} + INTERVAL ({LengthParameter} * 1000) MICROSECOND";

    /// <summary>The parameter for <see cref="Until"/>.</summary>
    public static (string Name, object? Value) Length(TimeSpan lease) => (LengthParameter, (long)lease.TotalMilliseconds);

    /// <summary>A claim that is free to take: never claimed, released, or whose holder's lease ran out.</summary>
    public static string Free(string? alias = null)
    {
        var column = alias is null ? "lease_until" : $"{alias}.lease_until";
        return $"({column} IS NULL OR {column} < {Now})";
    }

    /// <summary>A held claim whose lease ran out: its holder is presumed dead.</summary>
    public static string Expired(string? alias = null) => $"{(alias is null ? "" : alias + ".")}lease_until < {Now}";

    /// <summary>
    /// A new claim token (at most 128 characters, the column's length): the instance's name, for whoever reads the table,
    /// and a part unique to this claim, so two claims of one instance never pass for each other.
    /// </summary>
    public static string NewToken(string instance) => $"{(instance.Length > 95 ? instance[..95] : instance)}#{Guid.NewGuid():N}";
}
