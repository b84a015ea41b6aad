using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ota.Infrastructure.Platform.Certificates;

internal sealed class VehicleCaRecordConfiguration : IEntityTypeConfiguration<VehicleCaRecord>
{
    public void Configure(EntityTypeBuilder<VehicleCaRecord> b)
    {
        b.ToTable("ota_vehicle_ca");
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.CertificatePem).HasColumnType("text");
        b.Property(x => x.WrappedKey).HasMaxLength(512);
    }
}
