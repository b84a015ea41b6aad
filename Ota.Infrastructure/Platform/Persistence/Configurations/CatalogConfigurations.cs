using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Catalog;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal sealed class SeriesModelConfiguration : IEntityTypeConfiguration<SeriesModel>
{
    public void Configure(EntityTypeBuilder<SeriesModel> b)
    {
        b.ToTable("ota_series_model");
        b.Property(x => x.Code).HasMaxLength(64);
        b.Property(x => x.Platform).HasMaxLength(64);
        b.HasIndex(x => x.Code).IsUnique();
    }
}

internal sealed class BaseEcuConfiguration : IEntityTypeConfiguration<BaseEcu>
{
    public void Configure(EntityTypeBuilder<BaseEcu> b)
    {
        b.ToTable("ota_base_ecu");
        b.Property(x => x.Code).HasMaxLength(64);
        b.HasIndex(x => x.Code).IsUnique();
    }
}

internal sealed class BaselineConfiguration : IEntityTypeConfiguration<Baseline>
{
    public void Configure(EntityTypeBuilder<Baseline> b)
    {
        b.ToTable("ota_baseline");
        b.Property(x => x.Version).HasMaxLength(64);
        b.HasIndex(x => new { x.SeriesModelId, x.Version }).IsUnique();
        b.HasOne<SeriesModel>().WithMany().HasForeignKey(x => x.SeriesModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BaselineDescriptionConfiguration : IEntityTypeConfiguration<BaselineDescription>
{
    public void Configure(EntityTypeBuilder<BaselineDescription> b)
    {
        b.ToTable("ota_baseline_description");
        b.Property(x => x.Description).HasColumnType("text");
        b.HasIndex(x => x.BaselineId).IsUnique();
        b.HasOne<Baseline>().WithMany().HasForeignKey(x => x.BaselineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EcuFullPackageConfiguration : IEntityTypeConfiguration<EcuFullPackage>
{
    public void Configure(EntityTypeBuilder<EcuFullPackage> b)
    {
        b.ToTable("ota_package_ecu_full");
        b.Property(x => x.Key).HasMaxLength(128);
        b.Property(x => x.Version).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Url).HasMaxLength(1024);
        b.HasIndex(x => x.Key).IsUnique();
        b.HasIndex(x => new { x.EcuId, x.Version });
        b.HasOne<BaseEcu>().WithMany().HasForeignKey(x => x.EcuId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EcuDeltaPackageConfiguration : IEntityTypeConfiguration<EcuDeltaPackage>
{
    public void Configure(EntityTypeBuilder<EcuDeltaPackage> b)
    {
        b.ToTable("ota_package_ecu_delta");
        b.Property(x => x.Key).HasMaxLength(128);
        b.Property(x => x.Version).HasMaxLength(64);
        b.Property(x => x.FromVersion).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Url).HasMaxLength(1024);
        b.HasIndex(x => x.Key).IsUnique();
        b.HasIndex(x => new { x.EcuId, x.FromVersion, x.Version });
        b.HasOne<BaseEcu>().WithMany().HasForeignKey(x => x.EcuId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal static class VehiclePackageMapping
{
    public static void MapCommon<T>(EntityTypeBuilder<T> b) where T : VehiclePackageBase
    {
        b.Property(x => x.Version).HasMaxLength(64);
        b.Property(x => x.WrappedKey).HasMaxLength(512);
        b.Property(x => x.UpgradePrompt).HasColumnType("text");
        b.Property(x => x.UpgradeResult).HasColumnType("text");
        b.HasOne<SeriesModel>().WithMany().HasForeignKey(x => x.SeriesModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TotalFullPackageConfiguration : IEntityTypeConfiguration<TotalFullPackage>
{
    public void Configure(EntityTypeBuilder<TotalFullPackage> b)
    {
        b.ToTable("ota_package_total_full");
        VehiclePackageMapping.MapCommon(b);
        b.HasIndex(x => new { x.SeriesModelId, x.Version }).IsUnique();
    }
}

internal sealed class TotalDeltaPackageConfiguration : IEntityTypeConfiguration<TotalDeltaPackage>
{
    public void Configure(EntityTypeBuilder<TotalDeltaPackage> b)
    {
        b.ToTable("ota_package_total_delta");
        VehiclePackageMapping.MapCommon(b);
        b.Property(x => x.FromVersion).HasMaxLength(64);
        b.HasIndex(x => new { x.SeriesModelId, x.FromVersion, x.Version }).IsUnique();
    }
}

internal sealed class TotalFullPackageEcuConfiguration : IEntityTypeConfiguration<TotalFullPackageEcu>
{
    public void Configure(EntityTypeBuilder<TotalFullPackageEcu> b)
    {
        b.ToTable("ota_package_total_full_ecu");
        b.HasIndex(x => new { x.PackageId, x.EcuId }).IsUnique();
        b.HasOne<TotalFullPackage>().WithMany().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<BaseEcu>().WithMany().HasForeignKey(x => x.EcuId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EcuFullPackage>().WithMany().HasForeignKey(x => x.EcuFullPackageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TotalDeltaPackageEcuConfiguration : IEntityTypeConfiguration<TotalDeltaPackageEcu>
{
    public void Configure(EntityTypeBuilder<TotalDeltaPackageEcu> b)
    {
        b.ToTable("ota_package_total_delta_ecu");
        b.HasIndex(x => new { x.PackageId, x.EcuId }).IsUnique();
        b.HasOne<TotalDeltaPackage>().WithMany().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<BaseEcu>().WithMany().HasForeignKey(x => x.EcuId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EcuDeltaPackage>().WithMany().HasForeignKey(x => x.EcuDeltaPackageId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EcuFullPackage>().WithMany().HasForeignKey(x => x.EcuFullPackageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class Ota2PackageConfiguration : IEntityTypeConfiguration<Ota2Package>
{
    public void Configure(EntityTypeBuilder<Ota2Package> b)
    {
        b.ToTable("ota_package");
        VehiclePackageMapping.MapCommon(b);
        b.Property(x => x.FromVersion).HasMaxLength(64);
        b.HasIndex(x => new { x.SeriesModelId, x.Version, x.PackageType, x.FromVersion }).IsUnique();
        b.HasOne<Baseline>().WithMany().HasForeignKey(x => x.BaselineId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class Ota2PackageEcuConfiguration : IEntityTypeConfiguration<Ota2PackageEcu>
{
    public void Configure(EntityTypeBuilder<Ota2PackageEcu> b)
    {
        b.ToTable("ota_package_ecu");
        b.HasIndex(x => new { x.PackageId, x.EcuId }).IsUnique();
        b.HasOne<Ota2Package>().WithMany().HasForeignKey(x => x.PackageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<BaseEcu>().WithMany().HasForeignKey(x => x.EcuId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EcuDeltaPackage>().WithMany().HasForeignKey(x => x.EcuDeltaPackageId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EcuFullPackage>().WithMany().HasForeignKey(x => x.EcuFullPackageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PackageFileConfiguration : IEntityTypeConfiguration<PackageFile>
{
    public void Configure(EntityTypeBuilder<PackageFile> b)
    {
        b.ToTable("ota_package_file");
        b.Property(x => x.PackageKey).HasMaxLength(128);
        b.Property(x => x.StorageKey).HasMaxLength(512);
        b.Property(x => x.UploadedName).HasMaxLength(255);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Sha1).HasMaxLength(40);
        b.Property(x => x.Md5).HasMaxLength(32);
        b.Property(x => x.UploadedBy).HasMaxLength(256);
        b.HasIndex(x => x.PackageKey).IsUnique();
    }
}
