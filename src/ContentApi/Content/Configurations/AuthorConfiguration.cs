using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class AuthorConfiguration : IEntityTypeConfiguration<Author>
{
    public void Configure(EntityTypeBuilder<Author> builder)
    {
        builder.ToTable(t => t.HasCheckConstraint("ck_authors_slug", Slugs.CheckSql("slug")));
        builder.Property(a => a.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.Bio).HasMaxLength(4000);
        builder.Property(a => a.AvatarUrl).HasMaxLength(2048);
        builder.OwnsMany(a => a.Links, links => links.ToJson());
        builder.Property(a => a.SearchVector).HasComputedColumnSql(SearchVectors.Sql(("name", 'A'), ("bio", 'B')), stored: true);
        builder.HasIndex(a => a.SearchVector).HasMethod("gin");
    }
}
