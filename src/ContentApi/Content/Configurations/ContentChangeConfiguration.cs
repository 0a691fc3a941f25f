using ContentApi.Changes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class ContentChangeConfiguration : IEntityTypeConfiguration<ContentChange>
{
    public void Configure(EntityTypeBuilder<ContentChange> builder)
    {
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Sequence).UseIdentityAlwaysColumn();
        builder.Property(c => c.ResourceType).HasMaxLength(20);
        builder.Property(c => c.Action).HasMaxLength(20);
        builder.Property(c => c.Slug).HasMaxLength(Slugs.MaxLength);
        builder.ToTable(t => t.HasCheckConstraint("ck_content_changes_action",
            "action IN ('created', 'updated', 'deleted', 'published', 'unpublished')"));
    }
}
