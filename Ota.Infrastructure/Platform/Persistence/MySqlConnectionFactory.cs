using MySqlConnector;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>Opens raw connections for the set-based bulk paths (MySqlBulkCopy, data readers).</summary>
public sealed class MySqlConnectionFactory(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
