using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ota.Infrastructure.Platform.Security;

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> b)
    {
        b.ToTable("ota_signing_key");
        b.Property(x => x.KeyId).HasMaxLength(16);
        b.Property(x => x.Algorithm).HasMaxLength(16);
        b.Property(x => x.PublicKey).HasMaxLength(128);
        b.Property(x => x.WrappedKey).HasMaxLength(255);
        b.Ignore(x => x.IsActive);
        b.HasIndex(x => x.KeyId).IsUnique();
        // NULLs do not collide in a unique index: any number of inactive keys, at most one active (two instances starting
        // at once on an empty table cannot both make one).
        b.HasIndex(x => x.ActiveSlot).IsUnique();
    }
}
