using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Ota.Domain;
using Ota.Domain.Catalog;
using Ota.Domain.Events;
using Ota.Domain.Operations;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;
using Ota.Domain.Vehicles;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>
/// The system of record. Table names follow the original notes (ota_*); columns are snake_case. Each entity has its
/// configuration beside it (the domain's here, the flows' records in their flows), found in this assembly.
/// </summary>
public class OtaDbContext(DbContextOptions<OtaDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<SeriesModel> SeriesModels => Set<SeriesModel>();
    public DbSet<BaseEcu> Ecus => Set<BaseEcu>();
    public DbSet<Baseline> Baselines => Set<Baseline>();
    public DbSet<BaselineDescription> BaselineDescriptions => Set<BaselineDescription>();
    public DbSet<EcuFullPackage> EcuFullPackages => Set<EcuFullPackage>();
    public DbSet<EcuDeltaPackage> EcuDeltaPackages => Set<EcuDeltaPackage>();
    public DbSet<PackageFile> PackageFiles => Set<PackageFile>();
    public DbSet<TotalFullPackage> TotalFullPackages => Set<TotalFullPackage>();
    public DbSet<TotalFullPackageEcu> TotalFullPackageEcus => Set<TotalFullPackageEcu>();
    public DbSet<TotalDeltaPackage> TotalDeltaPackages => Set<TotalDeltaPackage>();
    public DbSet<TotalDeltaPackageEcu> TotalDeltaPackageEcus => Set<TotalDeltaPackageEcu>();
    public DbSet<Ota2Package> Ota2Packages => Set<Ota2Package>();
    public DbSet<Ota2PackageEcu> Ota2PackageEcus => Set<Ota2PackageEcu>();
    public DbSet<UpgradeStrategy> Strategies => Set<UpgradeStrategy>();
    public DbSet<StrategyEcuRelation> StrategyEcus => Set<StrategyEcuRelation>();
    public DbSet<StrategySeriesModelRelation> StrategySeriesModels => Set<StrategySeriesModelRelation>();
    public DbSet<StrategyVinRelation> StrategyVins => Set<StrategyVinRelation>();
    public DbSet<Vehicle> Vehicles => Set<Vehicle>();
    public DbSet<Ota.Domain.Vehicles.Ddi.DdiTarget> DdiTargets => Set<Ota.Domain.Vehicles.Ddi.DdiTarget>();
    public DbSet<BlacklistEntry> Blacklist => Set<BlacklistEntry>();
    public DbSet<WhitelistEntry> Whitelist => Set<WhitelistEntry>();
    public DbSet<UpgradeTask> Tasks => Set<UpgradeTask>();
    public DbSet<TaskVin> TaskVins => Set<TaskVin>();
    public DbSet<TaskRollout> TaskRollouts => Set<TaskRollout>();
    public DbSet<TaskRolloutGroup> TaskRolloutGroups => Set<TaskRolloutGroup>();
    public DbSet<TaskActivityMinute> TaskActivity => Set<TaskActivityMinute>();
    public DbSet<DownloadNotice> DownloadNotices => Set<DownloadNotice>();
    public DbSet<VehicleEventReceipt> EventReceipts => Set<VehicleEventReceipt>();
    public DbSet<DownloadProgressEvent> DownloadProgress => Set<DownloadProgressEvent>();
    public DbSet<UpgradeProgressEvent> UpgradeProgress => Set<UpgradeProgressEvent>();
    public DbSet<UpgradeStatusEvent> UpgradeStatuses => Set<UpgradeStatusEvent>();
    public DbSet<VehicleLatestStatus> LatestStatuses => Set<VehicleLatestStatus>();
    public DbSet<UpgradeCommandEvent> UpgradeCommands => Set<UpgradeCommandEvent>();
    public DbSet<EepromClearEvent> EepromClears => Set<EepromClearEvent>();
    public DbSet<WorkOrder> WorkOrders => Set<WorkOrder>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored as their names (SPEC §2), so the data reads the same in SQL as in the code. The flows' own
        // records (validation runs, follow-ups) say so in their configurations.
        foreach (var enumType in typeof(TaskType).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace == typeof(TaskType).Namespace))
        {
            configurationBuilder.Properties(enumType).HaveConversion<string>().HaveMaxLength(32);
        }
        configurationBuilder.Properties<string>().HaveMaxLength(255);
        configurationBuilder.Properties<DateTime>().HavePrecision(3);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasCharSet("utf8mb4").UseCollation("utf8mb4_unicode_ci");
        builder.ApplyConfigurationsFromAssembly(typeof(OtaDbContext).Assembly);
        builder.UseSnakeCaseColumns();
    }
}
