using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// Brings the database's schema up to the model, then its data (<see cref="IDataMigration"/>): the app's `migrate` verb,
/// which `./ota run`, `./ota bench` and the import commands run first.
/// </summary>
public sealed class DatabaseMigrations(IDbContextFactory<OtaDbContext> contexts, IEnumerable<IDataMigration> dataMigrations, TimeProvider clock)
{
    /// <summary>
    /// The five migrations of 2026-11-24 that the baseline migration replaced. A database they built has the baseline's
    /// schema (checked by comparing the two schemas' dumps), so its history is rewritten to say so instead of the
    /// baseline being applied on top of its tables.
    /// </summary>
    internal static readonly string[] ReplacedByBaseline =
    [
        "20261124205047_Initial", "20261124205813_Validation", "20261124212748_PushAndCancelNotices",
        "20261124214605_ConsoleIndexes", "20261124215315_FollowUps",
    ];

    /// <summary>Applies the pending migrations, then the data migrations not run yet; returns the names of the schema's (none when it is up to date).</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await AdoptBaselineAsync(db, ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        await ApplyDataMigrationsAsync(db, ct);
        return pending;
    }

    private async Task ApplyDataMigrationsAsync(OtaDbContext db, CancellationToken ct)
    {
        var done = (await db.Set<AppliedDataMigration>().Select(m => m.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var migration in dataMigrations.Where(m => !done.Contains(m.Id)).OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            await migration.ApplyAsync(ct);
            // Recorded once finished; another instance that ran it at the same time records it too.
            var id = migration.Id;
            var now = clock.GetUtcNow().UtcDateTime;
            await db.Database.ExecuteSqlAsync($"INSERT IGNORE INTO ota_data_migration (id, applied_at) VALUES ({id}, {now})", ct);
        }
    }

    private static async Task AdoptBaselineAsync(OtaDbContext db, CancellationToken ct)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var baseline = db.Database.GetMigrations().First();
        if (applied.Contains(baseline) || !ReplacedByBaseline.All(applied.Contains)) return;
        // As EF Core writes it: its product version without the build's commit.
        var version = typeof(DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var replaced in ReplacedByBaseline)
            await db.Database.ExecuteSqlAsync($"DELETE FROM `__EFMigrationsHistory` WHERE `MigrationId` = {replaced}", ct);
        await db.Database.ExecuteSqlAsync($"INSERT INTO `__EFMigrationsHistory` (`MigrationId`, `ProductVersion`) VALUES ({baseline}, {version})", ct);
        await tx.CommitAsync(ct);
    }
}
