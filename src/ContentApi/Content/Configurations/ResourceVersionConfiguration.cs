using ContentApi.Manage.Versions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class ResourceVersionConfiguration : IEntityTypeConfiguration<ResourceVersion>
{
    public void Configure(EntityTypeBuilder<ResourceVersion> builder)
    {
        builder.ToTable("resource_versions");
        // One resource's history, newest first, is a backward scan of the key; ids are unique across kinds.
        builder.HasKey(v => new { v.ResourceId, v.Version });
        builder.Property(v => v.ResourceType).HasMaxLength(20);
        builder.Property(v => v.KeyName).HasMaxLength(100);
        builder.Property(v => v.Action).HasMaxLength(20);
        // json, not jsonb: kept byte for byte, so a version reads back in the order it was written.
        builder.Property(v => v.Snapshot).HasColumnType("json");
        builder.HasIndex(v => v.At); // pruning by age
    }
}
