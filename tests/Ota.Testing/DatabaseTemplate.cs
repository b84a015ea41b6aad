using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Testing;

/// <summary>
/// A database migrated once per schema version, copied table by table for every test class: much faster than
/// migrating each class's database, and the copy keeps foreign keys (SHOW CREATE TABLE, not CREATE TABLE LIKE).
/// </summary>
internal static class DatabaseTemplate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string Name, string[] CreateStatements, string[] History)? _template;

    public static async Task CloneIntoAsync(string database)
    {
        var template = await EnsureAsync();
        await using var connection = new MySqlConnection(TestEnvironment.MySql);
        await connection.OpenAsync();
        await Exec(connection, $"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        await connection.ChangeDatabaseAsync(database);
        await Exec(connection, "SET FOREIGN_KEY_CHECKS = 0; " + string.Join(";\n", template.CreateStatements) + "; SET FOREIGN_KEY_CHECKS = 1;");
        foreach (var insert in template.History) await Exec(connection, insert);
    }

    private static async Task<(string Name, string[] CreateStatements, string[] History)> EnsureAsync()
    {
        if (_template is { } ready) return ready;
        await Gate.WaitAsync();
        try
        {
            if (_template is { } again) return again;
            // Named by every migration id: a migration merged in from a branch may sort before the newest one.
            var all = string.Join("|", Migrations());
            var name = "ota_tpl_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(all)))[..12];
            await using var connection = new MySqlConnection(TestEnvironment.MySql);
            await connection.OpenAsync();
            // Test assemblies run in parallel processes: one of them migrates, the others wait for it.
            await Exec(connection, "SELECT GET_LOCK('ota_test_template', 300)");
            try
            {
                if (!await DatabaseExistsAsync(connection, name)) await MigrateAsync(connection, name);
                _template = await ReadTemplateAsync(connection, name);
                return _template.Value;
            }
            finally
            {
                await Exec(connection, "SELECT RELEASE_LOCK('ota_test_template')");
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static IEnumerable<string> Migrations()
    {
        using var db = NewContext(TestEnvironment.MySql);
        return db.Database.GetMigrations().ToList();
    }

    private static async Task MigrateAsync(MySqlConnection connection, string name)
    {
        var building = name + "_building";
        await Exec(connection, $"DROP DATABASE IF EXISTS `{building}`");
        await using (var db = NewContext(new MySqlConnectionStringBuilder(TestEnvironment.MySql) { Database = building }.ConnectionString))
        {
            await db.Database.MigrateAsync();
        }
        // Publish under the final name only when complete, so a crash never leaves a half-built template.
        await Exec(connection, $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        var tables = await ListAsync(connection, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{building}'");
        await Exec(connection, "RENAME TABLE " + string.Join(", ", tables.Select(t => $"`{building}`.`{t}` TO `{name}`.`{t}`")));
        await Exec(connection, $"DROP DATABASE `{building}`");
    }

    private static async Task<(string, string[], string[])> ReadTemplateAsync(MySqlConnection connection, string name)
    {
        var tables = await ListAsync(connection, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{name}' AND table_type = 'BASE TABLE'");
        var creates = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new MySqlCommand($"SHOW CREATE TABLE `{name}`.`{table}`", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            creates.Add(reader.GetString(1));
        }
        var history = new List<string>();
        await using (var command = new MySqlCommand($"SELECT MigrationId, ProductVersion FROM `{name}`.`__EFMigrationsHistory`", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                history.Add($"INSERT INTO `__EFMigrationsHistory` VALUES ('{reader.GetString(0)}', '{reader.GetString(1)}')");
        }
        return (name, creates.ToArray(), history.ToArray());
    }

    private static OtaDbContext NewContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<OtaDbContext>();
        MySqlSetup.Configure(options, connectionString);
        return new OtaDbContext(options.Options);
    }

    private static async Task<bool> DatabaseExistsAsync(MySqlConnection connection, string name) =>
        (await ListAsync(connection, $"SELECT schema_name FROM information_schema.schemata WHERE schema_name = '{name}'")).Count > 0;

    private static async Task<List<string>> ListAsync(MySqlConnection connection, string sql)
    {
        var list = new List<string>();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }

    internal static async Task Exec(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
