using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Tests.Platform.Persistence;

/// <summary>A lease statement runs only with the database's clock: without it, it would compare leases with NULL.</summary>
public sealed class LeaseStatements
{
    private static readonly string Claim = $"UPDATE ota_task_vin SET claimed_by = @claim, lease_until = {Lease.Until} WHERE {Lease.Free()}";

    [Fact]
    public void AStatementThatUsesTheLeaseClockIsRefusedWithoutIt()
    {
        using var connection = new MySqlConnection();
        var refused = Assert.Throws<InvalidOperationException>(() => Sql.Command(connection, null, Claim, ("@claim", "x"), Lease.Length(TimeSpan.FromMinutes(2))));
        Assert.Contains(Lease.ClockParameter, refused.Message);
    }

    [Fact]
    public void AStatementGivenTheClockIsBuilt()
    {
        using var connection = new MySqlConnection();
        using var command = Sql.Command(connection, null, Claim, ("@claim", "x"), (Lease.ClockParameter, DateTime.UtcNow),
            Lease.Length(TimeSpan.FromMinutes(2)));
        Assert.Equal(3, command.Parameters.Count);
    }

    [Fact]
    public void ATokenNamesItsInstanceAndFitsItsColumn()
    {
        var token = Lease.NewToken(new string('i', 300));
        Assert.True(token.Length <= 128);
        Assert.Matches("^i{95}#[0-9a-f]{32}$", token);
        Assert.NotEqual(Lease.NewToken("a"), Lease.NewToken("a"));
    }
}
