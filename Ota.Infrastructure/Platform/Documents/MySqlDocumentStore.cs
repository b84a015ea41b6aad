using System.Globalization;
using System.Text;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Documents;

/// <summary>The default document store: a JSON column in MySQL (ota_document).</summary>
public sealed class MySqlDocumentStore(StatelessMySqlConnections connections, TimeProvider clock) : IDocumentStore
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

    public async Task PutManyAsync(string collection, IReadOnlyList<DocumentToPut> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0) return;
        // One multi-row statement: package-info stores a snapshot per answer, and a row per round trip would cap throughput.
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand { Connection = connection };
        var sql = new StringBuilder("INSERT INTO ota_document (collection, id, json, created_at) VALUES ");
        command.Parameters.AddWithValue("@c", collection);
        command.Parameters.AddWithValue("@now", clock.GetUtcNow().UtcDateTime);
        for (var i = 0; i < documents.Count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ",").Append("(@c, @id").Append(n).Append(", @j").Append(n).Append(", @now)");
            command.Parameters.AddWithValue("@id" + n, documents[i].Id);
            command.Parameters.AddWithValue("@j" + n, documents[i].Json);
        }
        sql.Append(" ON DUPLICATE KEY UPDATE json = VALUES(json)");
        command.CommandText = sql.ToString();
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
