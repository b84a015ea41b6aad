using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Catalog;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal sealed class UpgradeStrategyConfiguration : IEntityTypeConfiguration<UpgradeStrategy>
{
    public void Configure(EntityTypeBuilder<UpgradeStrategy> b)
    {
        b.ToTable("ota_upgrade_strategy");
        b.Property(x => x.Name).HasMaxLength(128);
        b.HasIndex(x => x.Name).IsUnique();
    }
}

internal sealed class StrategyEcuRelationConfiguration : IEntityTypeConfiguration<StrategyEcuRelation>
{
    public void Configure(EntityTypeBuilder<StrategyEcuRelation> b)
    {
        b.ToTable("ota_upgrade_strategy_ecu_relation");
        b.HasIndex(x => new { x.StrategyId, x.UpgradeOrder });
        b.HasIndex(x => new { x.StrategyId, x.EcuId }).IsUnique();
        b.HasOne<UpgradeStrategy>().WithMany().HasForeignKey(x => x.StrategyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<BaseEcu>().WithMany().HasForeignKey(x => x.EcuId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StrategySeriesModelRelationConfiguration : IEntityTypeConfiguration<StrategySeriesModelRelation>
{
    public void Configure(EntityTypeBuilder<StrategySeriesModelRelation> b)
    {
        b.ToTable("ota_upgrade_strategy_veh_relation");
        b.HasIndex(x => new { x.SeriesModelId, x.IsDefault });
        b.HasIndex(x => new { x.StrategyId, x.SeriesModelId }).IsUnique();
        b.HasOne<UpgradeStrategy>().WithMany().HasForeignKey(x => x.StrategyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<SeriesModel>().WithMany().HasForeignKey(x => x.SeriesModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StrategyVinRelationConfiguration : IEntityTypeConfiguration<StrategyVinRelation>
{
    public void Configure(EntityTypeBuilder<StrategyVinRelation> b)
    {
        b.ToTable("ota_upgrade_strategy_vin_relation");
        b.Property(x => x.Vin).IsVin();
        b.HasIndex(x => new { x.Vin, x.CreatedAt });
        b.HasOne<UpgradeStrategy>().WithMany().HasForeignKey(x => x.StrategyId).OnDelete(DeleteBehavior.Cascade);
    }
}
