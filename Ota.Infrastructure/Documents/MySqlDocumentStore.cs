using MySqlConnector;
using Ota.Infrastructure.Persistence;

namespace Ota.Infrastructure.Documents;

/// <summary>The default document store: a JSON column in MySQL (ota_document).</summary>
public sealed class MySqlDocumentStore(MySqlConnectionFactory connections, TimeProvider clock) : IDocumentStore
{
    public async Task PutAsync(string collection, string id, string json, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            """
            INSERT INTO ota_document (collection, id, json, created_at) VALUES (@c, @id, @json, @now)
            ON DUPLICATE KEY UPDATE json = VALUES(json)
            """, connection);
        command.Parameters.AddWithValue("@c", collection);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@json", json);
        command.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> GetAsync(string collection, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SELECT json FROM ota_document WHERE collection = @c AND id = @id", connection);
        command.Parameters.AddWithValue("@c", collection);
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<StoredDocument>> ListAsync(string collection, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(
            "SELECT id, json, created_at FROM ota_document WHERE collection = @c ORDER BY id LIMIT @limit", connection);
        command.Parameters.AddWithValue("@c", collection);
        command.Parameters.AddWithValue("@limit", limit);
        var list = new List<StoredDocument>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new StoredDocument { Collection = collection, Id = reader.GetString(0), Json = reader.GetString(1), CreatedAt = reader.GetDateTime(2) });
        return list;
    }
}
