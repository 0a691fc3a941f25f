using ContentApi.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class SeededSlugConfiguration : IEntityTypeConfiguration<SeededSlug>
{
    public void Configure(EntityTypeBuilder<SeededSlug> builder)
    {
        builder.HasKey(s => new { s.ResourceType, s.Slug });
        builder.Property(s => s.ResourceType).HasMaxLength(20);
        builder.Property(s => s.Slug).HasMaxLength(Slugs.MaxLength);
    }
}
