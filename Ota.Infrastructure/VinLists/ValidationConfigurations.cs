using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ota.Domain.Tasks;
using Ota.Infrastructure.Platform.Persistence.Configurations;

namespace Ota.Infrastructure.VinLists;

internal sealed class ValidationRunConfiguration : IEntityTypeConfiguration<ValidationRun>
{
    public void Configure(EntityTypeBuilder<ValidationRun> b)
    {
        b.ToTable("ota_validation_run");
        b.Property(x => x.Mode).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.TargetVersion).HasMaxLength(64);
        b.Property(x => x.TaskCodes).HasMaxLength(512);
        b.Property(x => x.TaskDetails).HasColumnType("text");
        b.Property(x => x.Error).HasColumnType("text");
        b.Property(x => x.SourceFile).HasMaxLength(512);
        b.Property(x => x.TaskName).HasMaxLength(200);
        b.Property(x => x.TaskRollout).HasColumnType("json");
        b.HasIndex(x => x.TaskId);
        b.HasIndex(x => new { x.Status, x.CreatedAt });
        b.HasOne<UpgradeTask>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ValidationChunkConfiguration : IEntityTypeConfiguration<ValidationChunk>
{
    public void Configure(EntityTypeBuilder<ValidationChunk> b)
    {
        b.ToTable("ota_validation_chunk");
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(32);
        b.HasKey(x => new { x.RunId, x.Chunk });
        b.Property(x => x.ReasonCounts).HasColumnType("text");
        b.Property(x => x.ClaimedBy).HasMaxLength(128);
        b.HasIndex(x => new { x.Status, x.LeaseUntil });
        b.HasOne<ValidationRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ValidationVinConfiguration : IEntityTypeConfiguration<ValidationVin>
{
    public void Configure(EntityTypeBuilder<ValidationVin> b)
    {
        b.ToTable("ota_validation_vin");
        // Clustered by (run, chunk, vin): a chunk is one range scan, its VINs in key order for the joins.
        b.HasKey(x => new { x.RunId, x.Chunk, x.Vin });
        b.Property(x => x.Vin).IsVin();
    }
}

internal sealed class ValidationRejectionConfiguration : IEntityTypeConfiguration<ValidationRejection>
{
    public void Configure(EntityTypeBuilder<ValidationRejection> b)
    {
        b.ToTable("ota_validation_rejection");
        b.Property(x => x.Entry).HasMaxLength(Ota.Domain.Tasks.Validation.VinListIntake.MaxReportedLength);
        b.Property(x => x.Vin).IsVin();
        b.Property(x => x.Codes).HasMaxLength(512);
        b.HasIndex(x => new { x.RunId, x.Id });
    }
}
