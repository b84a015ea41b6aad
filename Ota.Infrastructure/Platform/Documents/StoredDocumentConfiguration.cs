using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ota.Infrastructure.Platform.Documents;

internal sealed class StoredDocumentConfiguration : IEntityTypeConfiguration<StoredDocument>
{
    public void Configure(EntityTypeBuilder<StoredDocument> b)
    {
        b.ToTable("ota_document");
        b.HasKey(x => new { x.Collection, x.Id });
        b.Property(x => x.Collection).HasMaxLength(64);
        b.Property(x => x.Id).HasMaxLength(64);
        b.Property(x => x.Json).HasColumnType("json");
        b.Property<string?>(StoredDocumentVin.Property).HasMaxLength(17).HasComputedColumnSql(StoredDocumentVin.Sql, stored: false);
        b.HasIndex(StoredDocumentVin.Property, nameof(StoredDocument.CreatedAt));
    }
}
