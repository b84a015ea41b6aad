using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Auditing;
using Ota.Infrastructure.Platform.Identity;
using Ota.Infrastructure.Platform.Persistence;

namespace Ota.Infrastructure.Catalog;

/// <summary>A task a revocation would pause.</summary>
public sealed record LiveTaskOfPackage(long Id, string Name, UpgradeTaskStatus Status);

/// <summary>
/// The console's package actions: release, and revoke (the kill switch of SPEC §12: within an evaluation interval
/// every live task of the package's series-model and version pauses with PACKAGE_REVOKED, and its notified vehicles
/// that have not started are sent cancel notices). Each change is audited with the operator's name.
/// </summary>
public sealed class PackageCommands(ConsoleUser user, IDbContextFactory<OtaDbContext> contexts)
{
    /// <summary>The live tasks revoking the package would pause: those of its series-model and version that can be paused.</summary>
    public async Task<IReadOnlyList<LiveTaskOfPackage>> LiveTasksAsync(string kind, long packageId, CancellationToken ct = default)
    {
        await user.RequireAsync(ConsoleRoles.Viewer);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var package = await FindAsync(db, kind, packageId, ct);
        var pausable = TaskLifecycle.From(TaskChange.Pause).ToArray();
        return await db.Tasks.AsNoTracking()
            .Where(t => t.SeriesModelId == package.SeriesModelId && t.TargetVersion == package.Version && pausable.Contains(t.Status))
            .OrderBy(t => t.Id).Select(t => new LiveTaskOfPackage(t.Id, t.Name, t.Status)).ToListAsync(ct);
    }

    public Task ReleaseAsync(string kind, long packageId, CancellationToken ct = default) =>
        ChangeAsync(kind, packageId, PackageLifecycle.CanRelease, PackageLifecycle.Release, "released", ct);

    public Task RevokeAsync(string kind, long packageId, CancellationToken ct = default) =>
        ChangeAsync(kind, packageId, PackageLifecycle.CanRevoke, PackageLifecycle.Revoke, "revoked", ct);

    private async Task ChangeAsync(string kind, long packageId, Func<PackageStatus, bool> allowed, Action<VehiclePackageBase> change,
        string verb, CancellationToken ct)
    {
        var actor = await user.RequireAsync(ConsoleRoles.Operator);
        using var _ = AuditActor.Begin(actor);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var package = await FindAsync(db, kind, packageId, ct);
        if (!allowed(package.Status))
            throw new ConsoleCommandException($"The {kind} package #{packageId} is {package.Status}: it cannot be {verb}.");
        change(package);
        // The status change is audited (who, before, after) by the audit interceptor.
        await db.SaveChangesAsync(ct);
    }

    private static async Task<VehiclePackageBase> FindAsync(OtaDbContext db, string kind, long id, CancellationToken ct)
    {
        VehiclePackageBase? package = kind switch
        {
            CatalogQueries.Ota1Full => await db.TotalFullPackages.SingleOrDefaultAsync(p => p.Id == id, ct),
            CatalogQueries.Ota1Delta => await db.TotalDeltaPackages.SingleOrDefaultAsync(p => p.Id == id, ct),
            _ when kind.StartsWith(CatalogQueries.Ota2, StringComparison.Ordinal) => await db.Ota2Packages.SingleOrDefaultAsync(p => p.Id == id, ct),
            _ => null,
        };
        return package ?? throw new ConsoleCommandException($"There is no {kind} package #{id}.");
    }
}
