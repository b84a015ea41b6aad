using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;
using Xunit;

namespace Ota.Testing;

/// <summary>A clean, fully migrated database of its own on the real test MariaDB, for one test class.</summary>
public sealed class MariaDbFixture : IAsyncLifetime
{
    public string Database { get; } = $"ota_t_{Guid.NewGuid():N}"[..30];

    public string ConnectionString => new MySqlConnectionStringBuilder(TestEnvironment.MySql) { Database = Database }.ConnectionString;

    public async Task InitializeAsync() => await DatabaseTemplate.CloneIntoAsync(Database);

    public async Task DisposeAsync()
    {
        await using var connection = new MySqlConnection(TestEnvironment.MySql);
        await connection.OpenAsync();
        await DatabaseTemplate.Exec(connection, $"DROP DATABASE IF EXISTS `{Database}`");
    }

    public OtaDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<OtaDbContext>();
        MySqlSetup.Configure(options, ConnectionString);
        return new OtaDbContext(options.Options);
    }

    public async Task<long> CountAsync(string table, string where = "1=1")
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT COUNT(*) FROM {table} WHERE {where}", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>The first column of the first row (null when there is none or it is NULL).</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() is { } value and not DBNull ? value : null;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync();
        await DatabaseTemplate.Exec(connection, sql);
    }
}
