using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Platform.Health;

internal sealed class MySqlHealthCheck(IDbContextFactory<OtaDbContext> contexts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("MySQL answers.")
                : HealthCheckResult.Unhealthy("MySQL does not answer.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("MySQL does not answer.", ex);
        }
    }
}
