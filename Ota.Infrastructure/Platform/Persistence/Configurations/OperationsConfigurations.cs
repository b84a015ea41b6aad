using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Operations;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal sealed class WorkOrderConfiguration : IEntityTypeConfiguration<WorkOrder>
{
    public void Configure(EntityTypeBuilder<WorkOrder> b)
    {
        b.ToTable("ota_work_order");
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.Status).HasMaxLength(32);
        b.HasIndex(x => x.Vin);
        b.HasIndex(x => x.CreatedAt);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("ota_notification");
        b.Property(x => x.Channel).HasMaxLength(64);
        b.Property(x => x.Text).HasColumnType("text");
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.DeliveryStatus).HasMaxLength(32);
        b.Property(x => x.LastError).HasMaxLength(1024);
        b.HasIndex(x => x.CreatedAt);
        b.HasIndex(x => new { x.Channel, x.CreatedAt });
        b.HasIndex(x => new { x.DeliveryStatus, x.CreatedAt });
        b.HasIndex(x => x.Vin);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("ota_audit_log");
        b.Property(x => x.Before).HasColumnType("mediumtext");
        b.Property(x => x.After).HasColumnType("mediumtext");
        b.HasIndex(x => x.At);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("ota_api_key");
        b.Property(x => x.KeyHash).HasMaxLength(64);
        b.Property(x => x.Prefix).HasMaxLength(16);
        b.Property(x => x.Scopes).HasMaxLength(200);
        b.HasIndex(x => x.KeyHash).IsUnique();
        b.HasIndex(x => x.Name).IsUnique();
    }
}
