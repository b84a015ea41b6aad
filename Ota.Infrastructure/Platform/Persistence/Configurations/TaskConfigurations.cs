using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Catalog;
using Ota.Domain.Tasks;
using Ota.Domain.Tasks.Rollouts;

namespace Ota.Infrastructure.Platform.Persistence.Configurations;

internal sealed class UpgradeTaskConfiguration : IEntityTypeConfiguration<UpgradeTask>
{
    public void Configure(EntityTypeBuilder<UpgradeTask> b)
    {
        b.ToTable("ota_task");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.TargetVersion).HasMaxLength(64);
        b.Property(x => x.ExtensionInfo).HasColumnType("json");
        b.Property(x => x.Status);
        b.Property(x => x.PublishedAt);
        b.Property(x => x.ExecutedAt);
        b.Property(x => x.CancelledAt);
        b.Property(x => x.PublishRequestedBy).HasMaxLength(255);
        b.Property(x => x.PublishRequestedAt);
        b.Property(x => x.PublishRequestedFor);
        b.Property(x => x.PublishApprovedBy).HasMaxLength(255);
        b.Ignore(x => x.AwaitsApproval);
        b.Ignore(x => x.IsFormal);
        b.HasIndex(x => new { x.Status, x.Priority, x.ScheduledAt });
        b.HasIndex(x => x.CreatedAt);
        b.HasOne<SeriesModel>().WithMany().HasForeignKey(x => x.SeriesModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TaskVinConfiguration : IEntityTypeConfiguration<TaskVin>
{
    public void Configure(EntityTypeBuilder<TaskVin> b)
    {
        b.ToTable("ota_task_vin");
        b.HasKey(x => new { x.TaskId, x.Vin });
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.VerdictCodes).HasMaxLength(512);
        b.Property(x => x.MessageId).HasMaxLength(64);
        b.Property(x => x.ClaimedBy).HasMaxLength(128);
        b.Property(x => x.CloseReason).HasMaxLength(512);
        b.Property(x => x.UpdatedBy).HasMaxLength(128);
        b.HasIndex(x => x.Vin);
        // Few rows are ever Due; the push job looks them up every run.
        b.HasIndex(x => x.CancelNotice);
        // Also the rollout's counts per group and state: read from the index alone.
        b.HasIndex(x => new { x.TaskId, x.State, x.RolloutGroup });
        b.HasIndex(x => x.IsResend);
        b.HasOne<UpgradeTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TaskRolloutConfiguration : IEntityTypeConfiguration<TaskRollout>
{
    public void Configure(EntityTypeBuilder<TaskRollout> b)
    {
        b.ToTable("ota_task_rollout");
        b.HasKey(x => x.TaskId);
        b.Property(x => x.TaskId).ValueGeneratedNever();
        b.Property(x => x.Plan).HasColumnType("json");
        b.Property(x => x.PauseCode).HasMaxLength(64);
        b.Property(x => x.PauseGroup).HasMaxLength(64);
        b.Property(x => x.PauseDetail).HasMaxLength(1024);
        b.Property(x => x.PausedBy).HasMaxLength(128);
        b.HasOne<UpgradeTask>().WithOne().HasForeignKey<TaskRollout>(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TaskRolloutGroupConfiguration : IEntityTypeConfiguration<TaskRolloutGroup>
{
    public void Configure(EntityTypeBuilder<TaskRolloutGroup> b)
    {
        b.ToTable("ota_task_rollout_group");
        b.HasKey(x => new { x.TaskId, x.GroupIndex });
        b.Property(x => x.Name).HasMaxLength(64);
        b.Property(x => x.ApprovedBy).HasMaxLength(128);
        b.Ignore(x => x.Gate);
        b.HasOne<TaskRollout>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TaskActivityMinuteConfiguration : IEntityTypeConfiguration<TaskActivityMinute>
{
    public void Configure(EntityTypeBuilder<TaskActivityMinute> b)
    {
        b.ToTable("ota_task_activity_minute");
        b.HasKey(x => new { x.TaskId, x.Minute });
        // The dashboard reads every task's last minutes.
        b.HasIndex(x => x.Minute);
        // No foreign key: the counters are bumped by the hot paths (push, reports), which must not wait on a task row's lock.
    }
}
