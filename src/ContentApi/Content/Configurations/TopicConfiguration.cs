using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> builder)
    {
        builder.ToTable(t => t.HasCheckConstraint("ck_topics_slug", Slugs.CheckSql("slug")));
        builder.Property(t => t.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(t => t.Slug).IsUnique();
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Description).HasMaxLength(2000);
        builder.Property(t => t.SearchVector).HasComputedColumnSql(SearchVectors.Sql(("name", 'A'), ("description", 'B')), stored: true);
        builder.HasIndex(t => t.SearchVector).HasMethod("gin");
    }
}
