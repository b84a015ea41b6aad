using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ota.Infrastructure.Platform.Persistence;

/// <summary>A data migration that has run (<see cref="IDataMigration"/>), as __EFMigrationsHistory records the schema's.</summary>
public sealed class AppliedDataMigration
{
    public string Id { get; set; } = "";
    public DateTime AppliedAt { get; set; }
}

internal sealed class AppliedDataMigrationConfiguration : IEntityTypeConfiguration<AppliedDataMigration>
{
    public void Configure(EntityTypeBuilder<AppliedDataMigration> b)
    {
        b.ToTable("ota_data_migration");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(150);
    }
}
