using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Catalog;
using Ota.Domain.Vehicles;
using Ota.Domain.Vehicles.Ddi;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal sealed class VehicleConfiguration : IEntityTypeConfiguration<Vehicle>
{
    public void Configure(EntityTypeBuilder<Vehicle> b)
    {
        b.ToTable("ota_vehicle");
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.Platform).HasMaxLength(64);
        b.Property(x => x.FirmwareVersion).HasMaxLength(64);
        b.Property(x => x.ConfigWord).HasMaxLength(255);
        // Wrapped by the key service, never in clear: VehicleSecretWrapping.MaxStoredLength (a test keeps the two equal).
        b.Property(x => x.Secret).HasMaxLength(528);
        b.Property(x => x.UpdateClient).HasMaxLength(8).HasDefaultValue(Ota.Domain.UpdateClient.Native);
        b.HasIndex(x => x.Vin).IsUnique();
        b.HasIndex(x => x.SeriesModelId);
        // The fleet-versions page counts vehicles per series-model and firmware from this index alone.
        b.HasIndex(x => new { x.SeriesModelId, x.FirmwareVersion });
        b.HasOne<SeriesModel>().WithMany().HasForeignKey(x => x.SeriesModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BlacklistEntryConfiguration : IEntityTypeConfiguration<BlacklistEntry>
{
    public void Configure(EntityTypeBuilder<BlacklistEntry> b)
    {
        b.ToTable("ota_vehicle_blacklist");
        b.Property(x => x.Vin).IsVin();
        b.HasIndex(x => new { x.Vin, x.IsDelete });
    }
}

internal sealed class WhitelistEntryConfiguration : IEntityTypeConfiguration<WhitelistEntry>
{
    public void Configure(EntityTypeBuilder<WhitelistEntry> b)
    {
        b.ToTable("ota_vehicle_whitelist");
        b.Property(x => x.Vin).IsVin();
        b.HasIndex(x => new { x.Vin, x.Type, x.IsDelete });
    }
}

internal sealed class DdiTargetConfiguration : IEntityTypeConfiguration<DdiTarget>
{
    public void Configure(EntityTypeBuilder<DdiTarget> b)
    {
        b.ToTable("ota_ddi_target");
        b.HasKey(x => x.Vin);
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.TokenHash).HasMaxLength(64).IsFixedLength();
        b.Property(x => x.ConfigData).HasColumnType("text");
    }
}
