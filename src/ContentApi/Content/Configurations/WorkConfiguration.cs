using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class WorkConfiguration : IEntityTypeConfiguration<Work>
{
    public void Configure(EntityTypeBuilder<Work> builder)
    {
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_works_slug", Slugs.CheckSql("slug"));
            t.HasCheckConstraint("ck_works_kind", "kind IN ('book', 'cd', 'dvd', 'booklet', 'other')");
        });
        builder.Property(w => w.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(w => w.Slug).IsUnique();
        builder.Property(w => w.Kind).HasMaxLength(20);
        builder.HasIndex(w => w.Kind);
        builder.Property(w => w.Title).HasMaxLength(300);
        builder.Property(w => w.ShortLabel).HasMaxLength(120);
        builder.Property(w => w.Subtitle).HasMaxLength(300);
        builder.Property(w => w.Creators).HasMaxLength(300);
        builder.Property(w => w.Description).HasMaxLength(4000);
        builder.Property(w => w.CoverUrl).HasMaxLength(2048);
        builder.Property(w => w.Url).HasMaxLength(2048);
        builder.Property(w => w.SearchVector).HasComputedColumnSql(SearchVectors.Sql(("title", 'A'), ("short_label", 'A'), ("subtitle", 'B'), ("creators", 'B'), ("description", 'C')), stored: true);
        builder.HasIndex(w => w.SearchVector).HasMethod("gin");

        builder.HasMany(w => w.Topics).WithOne().HasForeignKey(t => t.WorkId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WorkTopicConfiguration : IEntityTypeConfiguration<WorkTopic>
{
    public void Configure(EntityTypeBuilder<WorkTopic> builder)
    {
        builder.ToTable("work_topics");
        builder.HasKey(t => new { t.WorkId, t.TopicId });
        builder.HasIndex(t => t.TopicId);
        builder.HasOne(t => t.Topic).WithMany().HasForeignKey(t => t.TopicId).OnDelete(DeleteBehavior.Restrict);
    }
}
