using Microsoft.EntityFrameworkCore;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>Brings the database's schema up to the model (`./ota migrate`, run by `./ota run` and `./ota bench`).</summary>
public sealed class DatabaseMigrations(IDbContextFactory<OtaDbContext> contexts)
{
    /// <summary>Applies the pending migrations; returns their names (none when the database is up to date).</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        return pending;
    }
}
