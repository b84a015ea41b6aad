namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// A change of the stored data that needs the app (its master key, say), so no migration's SQL can make it. Run by
/// <see cref="DatabaseMigrations"/> right after the schema's migrations, once: it is recorded in ota_data_migration
/// when it has finished. It must be safe to run again (a crash before the record) and by two instances at once.
/// </summary>
public interface IDataMigration
{
    /// <summary>Its name in ota_data_migration; data migrations run in the order of their ids.</summary>
    string Id { get; }

    Task ApplyAsync(CancellationToken ct);
}
