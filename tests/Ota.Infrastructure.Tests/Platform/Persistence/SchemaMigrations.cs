using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Persistence;

/// <summary>The schema comes from the migrations alone: one baseline, and a new migration for every change of the model.</summary>
public sealed class SchemaMigrations(MariaDbFixture db) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task TheModelHasNoChangeThatNoMigrationMakes()
    {
        await using var context = db.NewContext();
        Assert.False(context.Database.HasPendingModelChanges(),
            "The model has changed since the last migration: add one (dotnet ef migrations add NAME --project Ota.Infrastructure).");
    }

    [Fact]
    public async Task AnEmptyDatabaseIsBuiltByTheBaselineAndTheMigrationsAfterIt()
    {
        var empty = $"ota_t_{Guid.NewGuid():N}"[..30];
        await using var server = new MySqlConnection(TestEnvironment.MySql);
        await server.OpenAsync();
        await new MySqlCommand($"CREATE DATABASE `{empty}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", server).ExecuteNonQueryAsync();
        try
        {
            await using var services = TestServices.Create(new MySqlConnectionStringBuilder(TestEnvironment.MySql) { Database = empty }.ConnectionString);
            var applied = await services.GetRequiredService<DatabaseMigrations>().ApplyAsync(CancellationToken.None);
            await using (var context = db.NewContext()) Assert.Equal(context.Database.GetMigrations(), applied);
            Assert.EndsWith("_Baseline", applied[0], StringComparison.Ordinal);
            Assert.Empty(await services.GetRequiredService<DatabaseMigrations>().ApplyAsync(CancellationToken.None));
        }
        finally
        {
            await new MySqlCommand($"DROP DATABASE `{empty}`", server).ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task ADatabaseTheReplacedMigrationsBuiltIsAdoptedWithItsData()
    {
        await db.ExecuteAsync(
            "INSERT INTO ota_series_model (code, series, model, platform, name) VALUES ('KEEP-1', 'K', '1', 'P', 'kept through the adoption')");
        string[] migrations;
        await using (var context = db.NewContext())
        {
            migrations = [.. context.Database.GetMigrations()];
            // The schema as the replaced migrations left it: the baseline's, without what came after it.
            await context.GetService<IMigrator>().MigrateAsync(migrations[0]);
        }
        // As a database migrated before the baseline existed records its history.
        await db.ExecuteAsync($"DELETE FROM `__EFMigrationsHistory`; INSERT INTO `__EFMigrationsHistory` (MigrationId, ProductVersion) VALUES " +
            string.Join(", ", DatabaseMigrations.ReplacedByBaseline.Select(id => $"('{id}', '9.0.23')")));

        await using var services = TestServices.Create(db);
        Assert.Equal(migrations[1..], await services.GetRequiredService<DatabaseMigrations>().ApplyAsync(CancellationToken.None));

        await using var after = db.NewContext();
        Assert.Equal(migrations, await after.Database.GetAppliedMigrationsAsync());
        Assert.Equal(1, await db.CountAsync("ota_series_model", "code = 'KEEP-1'"));
    }
}
