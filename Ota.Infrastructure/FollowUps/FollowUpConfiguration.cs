using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.FollowUps;

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> b)
    {
        b.ToTable("ota_follow_up");
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.Step).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Detail).HasMaxLength(1024);
        b.Property(x => x.Payload).HasColumnType("json");
        b.Property(x => x.LastError).HasMaxLength(1024);
        b.Property(x => x.ClaimedBy).HasMaxLength(128);
        // The worker's queue: due rows of a state; and the console's views by report and by vehicle.
        b.HasIndex(x => new { x.State, x.Step, x.NextAttemptAt });
        b.HasIndex(x => x.StatusId);
        b.HasIndex(x => new { x.Vin, x.CreatedAt });
        b.HasOne(x => x.Notification).WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.WorkOrder).WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.SetNull);
    }
}
