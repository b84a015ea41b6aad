using MySqlConnector;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// Connections for the hot paths that leave no session state behind (the vehicle API's reads and writes, the document
/// store): the same database, a pool of their own, handed out without the reset a pooled open otherwise sends
/// (COM_RESET_CONNECTION and SET NAMES: measured as almost half the statements MariaDB ran for package-info). That is
/// safe because these paths set no session variables and create no temporary tables; an isolation level is set for one
/// transaction at a time; a transaction left open is rolled back when its connection closes; and a session broken by an
/// error is not returned to the pool. Vehicle calls made after a database restart, when every pooled connection is one
/// the server closed, are still answered at the first try (test: MariaDbRestartDuringVehicleCalls).
/// </summary>
public sealed class StatelessMySqlConnections(MySqlConnectionFactory connections)
{
    private readonly string _connectionString =
        new MySqlConnectionStringBuilder(connections.ConnectionString) { ConnectionReset = false }.ConnectionString;

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
