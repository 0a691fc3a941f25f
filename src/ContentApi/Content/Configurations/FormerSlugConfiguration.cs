using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class FormerSlugConfiguration : IEntityTypeConfiguration<FormerSlug>
{
    public void Configure(EntityTypeBuilder<FormerSlug> builder)
    {
        builder.HasKey(f => new { f.ResourceType, f.Slug });
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_former_slugs_slug", Slugs.CheckSql("slug"));
            t.HasCheckConstraint("ck_former_slugs_resource_type",
                "resource_type IN ('article', 'author', 'section', 'topic', 'work')");
        });
        builder.Property(f => f.ResourceType).HasMaxLength(20);
        builder.Property(f => f.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(f => f.ResourceId);
    }
}
