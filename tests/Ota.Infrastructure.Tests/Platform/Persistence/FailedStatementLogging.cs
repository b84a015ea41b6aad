using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using Ota.Infrastructure.Platform.Persistence;
using Ota.Infrastructure.Tests.Platform.Adapters;
using Ota.Testing;

namespace Ota.Infrastructure.Tests.Platform.Persistence;

/// <summary>
/// A statement that fails is a warning in EF Core's log; the exception goes on to the caller, which retries a deadlock or
/// reports the failure itself. A failed SaveChanges is still an error.
/// </summary>
public sealed class FailedStatementLogging(MariaDbFixture db) : IClassFixture<MariaDbFixture>
{
    [Fact]
    public async Task AFailedStatementIsAWarningAndItsExceptionReachesTheCaller()
    {
        var log = new RecordingLoggerProvider();
        await using var context = NewContext(log);

        var failure = await Assert.ThrowsAsync<MySqlException>(() => context.Database.ExecuteSqlRawAsync("UPDATE no_such_table SET x = 1"));

        Assert.Equal(MySqlErrorCode.NoSuchTable, failure.ErrorCode);
        Assert.Contains(log.Lines, l => l.StartsWith("Microsoft.EntityFrameworkCore.Database.Command Warning: Failed executing DbCommand", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains(" Error: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedSaveChangesIsStillAnError()
    {
        var log = new RecordingLoggerProvider();
        await using var context = NewContext(log);
        context.Add(new Ota.Domain.Operations.Notification { Channel = new string('c', 10_000), Title = "t", Text = "x", DeliveryStatus = "Pending", CreatedAt = DateTime.UtcNow });

        await Assert.ThrowsAsync<DbUpdateException>(() => context.SaveChangesAsync());

        Assert.Contains(log.Lines, l => l.StartsWith("Microsoft.EntityFrameworkCore.Update Error:", StringComparison.Ordinal));
    }

    private OtaDbContext NewContext(RecordingLoggerProvider log)
    {
        var options = new DbContextOptionsBuilder<OtaDbContext>();
        MySqlSetup.Configure(options, db.ConnectionString);
        options.UseLoggerFactory(LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(LogLevel.Debug)));
        return new OtaDbContext(options.Options);
    }
}
