using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Infrastructure.Platform.Persistence.Configurations;

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

internal sealed class VehicleCertificateRecordConfiguration : IEntityTypeConfiguration<VehicleCertificateRecord>
{
    public void Configure(EntityTypeBuilder<VehicleCertificateRecord> b)
    {
        b.ToTable("ota_vehicle_certificate");
        b.HasKey(x => x.SerialNumber);
        b.Property(x => x.SerialNumber).HasMaxLength(40).HasCharSet("ascii").UseCollation("ascii_bin");
        b.Property(x => x.Vin).IsVin();
        b.HasIndex(x => x.Vin);
    }
}
