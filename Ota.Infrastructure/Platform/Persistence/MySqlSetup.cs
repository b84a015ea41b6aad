using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>The one place that says how the app talks to MariaDB/MySQL.</summary>
public static class MySqlSetup
{
    /// <summary>MariaDB 10.11 is what Debian 12 ships; the dialect is fixed so migrations never need a live server.</summary>
    public static readonly ServerVersion ServerVersion = new MariaDbServerVersion(new Version(10, 11, 0));

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseMySql(connectionString, ServerVersion, my =>
            {
                my.MigrationsAssembly(typeof(OtaDbContext).Assembly.FullName);
                my.CommandTimeout(300);
            })
            // A failed statement is logged as a warning: the exception goes on to the caller, which retries a deadlock
            // (DeadlockRetry) or reports the failure itself. At error level, every retried deadlock on the busy queue
            // tables paged whoever watches the log. A failed SaveChanges stays an error (its own event).
            .ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Warning)));

    /// <summary>Connection string for bulk paths: local infile for MySqlBulkCopy, user variables for set-based SQL.</summary>
    public static string ForBulk(string connectionString) =>
        new MySqlConnectionStringBuilder(connectionString) { AllowLoadLocalInfile = true, AllowUserVariables = true }.ConnectionString;
}

/// <summary>Lets `dotnet ef` build the model without running the app; no database is contacted to add a migration.</summary>
public sealed class DesignTimeOtaDbContextFactory : IDesignTimeDbContextFactory<OtaDbContext>
{
    public OtaDbContext CreateDbContext(string[] args)
    {
        var cs = Environment.GetEnvironmentVariable("ConnectionStrings__Ota") ?? "Server=127.0.0.1;Port=3307;Database=ota;User=ota";
        var builder = new DbContextOptionsBuilder<OtaDbContext>();
        MySqlSetup.Configure(builder, cs);
        return new OtaDbContext(builder.Options);
    }
}
