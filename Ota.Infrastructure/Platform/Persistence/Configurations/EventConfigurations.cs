using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Events;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal sealed class DownloadNoticeConfiguration : IEntityTypeConfiguration<DownloadNotice>
{
    public void Configure(EntityTypeBuilder<DownloadNotice> b)
    {
        b.ToTable("ota_vehicle_download_notice");
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.Version).HasMaxLength(64);
        b.Property(x => x.MessageId).HasMaxLength(64);
        b.HasIndex(x => x.MessageId);
        b.HasIndex(x => new { x.Vin, x.SentAt });
        b.HasIndex(x => new { x.TaskId, x.Vin });
        // Notices sent today (console dashboard) without reading every notice.
        b.HasIndex(x => x.SentAt);
    }
}

internal sealed class VehicleEventReceiptConfiguration : IEntityTypeConfiguration<VehicleEventReceipt>
{
    public void Configure(EntityTypeBuilder<VehicleEventReceipt> b)
    {
        b.ToTable("ota_vehicle_event_receipt");
        b.HasKey(x => x.EventId);
        b.Property(x => x.EventId).HasMaxLength(36);
        b.Property(x => x.Vin).IsVin();
    }
}

internal static class VehicleEventMapping
{
    public static void MapCommon<T>(EntityTypeBuilder<T> b, string table) where T : VehicleEventBase
    {
        b.ToTable(table);
        b.Property(x => x.EventId).HasMaxLength(36);
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.MessageId).HasMaxLength(64);
        b.HasIndex(x => x.EventId).IsUnique();
    }
}

internal sealed class DownloadProgressConfiguration : IEntityTypeConfiguration<DownloadProgressEvent>
{
    public void Configure(EntityTypeBuilder<DownloadProgressEvent> b)
    {
        VehicleEventMapping.MapCommon(b, "ota_vehicle_download_progress");
        b.Property(x => x.EcuCode).HasMaxLength(64);
        b.HasIndex(x => new { x.Vin, x.OccurredAt });
    }
}

internal sealed class UpgradeProgressConfiguration : IEntityTypeConfiguration<UpgradeProgressEvent>
{
    public void Configure(EntityTypeBuilder<UpgradeProgressEvent> b)
    {
        VehicleEventMapping.MapCommon(b, "ota_vehicle_upgrade_progress");
        b.Property(x => x.EcuCode).HasMaxLength(64);
        b.Property(x => x.Step).HasMaxLength(64);
        b.HasIndex(x => new { x.Vin, x.OccurredAt });
    }
}

internal sealed class UpgradeStatusConfiguration : IEntityTypeConfiguration<UpgradeStatusEvent>
{
    public void Configure(EntityTypeBuilder<UpgradeStatusEvent> b)
    {
        VehicleEventMapping.MapCommon(b, "ota_vehicle_upgrade_status");
        b.Property(x => x.InnerErrorCode).HasMaxLength(64);
        b.Property(x => x.Version).HasMaxLength(64);
        b.Property(x => x.OccurredAt).HasColumnName("reported_at");
        b.HasIndex(x => new { x.Vin, x.OccurredAt });
        b.HasIndex(x => new { x.TaskId, x.State });
    }
}

internal sealed class UpgradeCommandConfiguration : IEntityTypeConfiguration<UpgradeCommandEvent>
{
    public void Configure(EntityTypeBuilder<UpgradeCommandEvent> b)
    {
        VehicleEventMapping.MapCommon(b, "ota_vehicle_upgrade_command");
        b.HasIndex(x => new { x.Vin, x.OccurredAt });
    }
}

internal sealed class EepromClearConfiguration : IEntityTypeConfiguration<EepromClearEvent>
{
    public void Configure(EntityTypeBuilder<EepromClearEvent> b)
    {
        VehicleEventMapping.MapCommon(b, "ota_vehicle_eeprom_clear");
        b.Property(x => x.EcuCode).HasMaxLength(64);
        b.Property(x => x.Result).HasMaxLength(64);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Data).HasColumnType("mediumblob");
        b.HasIndex(x => new { x.Vin, x.OccurredAt });
    }
}

internal sealed class VehicleLatestStatusConfiguration : IEntityTypeConfiguration<VehicleLatestStatus>
{
    public void Configure(EntityTypeBuilder<VehicleLatestStatus> b)
    {
        b.ToTable("ota_vehicle_latest_status");
        b.HasKey(x => x.Vin);
        b.Property(x => x.Vin).IsVin();
        // A task's funnel and the dashboard's rates count from this index alone.
        b.HasIndex(x => new { x.TaskId, x.State, x.ErrorType });
    }
}
